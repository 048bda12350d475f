/**
 * The one list of error codes the API answers, each with the Vietnamese words a person reads: what went
 * wrong and what to do. `AppError.code` is typed by it, so a new error class cannot ship a code without
 * its words; the API answers them under `Accept-Language: vi` and the dashboard shows them in its
 * Vietnamese screens. Codes are stable and part of the API; the words may be improved at any time.
 */
export const API_ERROR_MESSAGES_VI = {
  invalid_request: 'Thông tin gửi lên chưa hợp lệ: kiểm tra lại các ô đã nhập rồi gửi lại.',
  unauthorized: 'Phiên đăng nhập không hợp lệ hoặc đã hết hạn: hãy đăng nhập lại.',
  forbidden:
    'Vai trò hoặc phạm vi (địa bàn, xã) của tài khoản không được làm việc này: đề nghị người có thẩm quyền thực hiện.',
  four_eyes:
    'Nguyên tắc bốn mắt: người lập hồ sơ không tự phê duyệt, một người không duyệt hai cấp của cùng hồ sơ. Hãy chuyển cho cán bộ khác.',
  not_found: 'Không tìm thấy dữ liệu yêu cầu trong phạm vi tài khoản: kiểm tra lại mã hoặc tải lại trang.',
  invalid_path: 'Đường dẫn có ký tự mã hoá sai: kiểm tra lại đường dẫn hoặc tải lại trang.',
  method_not_allowed: 'Thao tác này không có ở địa chỉ này: tải lại trang hoặc kiểm tra đường dẫn.',
  insufficient_funds:
    'Không đủ kế hoạch vốn còn lại: giảm số tiền, chờ các hồ sơ đang chờ duyệt được quyết định, hoặc điều chỉnh kế hoạch vốn.',
  below_committed:
    'Không giảm được kế hoạch vốn xuống dưới số đã tạm giữ và đã giải ngân: giảm ít hơn (xem mức giảm tối đa).',
  below_paid:
    'Không giảm được giá trị hợp đồng xuống dưới số đã thanh toán hoặc đang chờ thanh toán: nhập giá trị lớn hơn.',
  not_pending: 'Hồ sơ không còn chờ phê duyệt (đã được quyết định): tải lại trang để xem trạng thái mới.',
  idempotency_key_reused: 'Mã chống trùng đã dùng cho một nội dung khác: tải lại trang rồi gửi lại.',
  amount_out_of_range:
    'Số tiền vượt giới hạn cho phép (10^15 đồng) hoặc số liệu lưu bị sai: kiểm tra lại số tiền.',
  anchor_missing:
    'Thiếu bản chốt sổ cái hằng ngày lưu ngoài bảng dữ liệu cho một ngày bảng dữ liệu ghi là đã chốt: báo ngay cho kiểm toán và quản trị hệ thống.',
  anchor_unreadable:
    'Bản chốt sổ cái hằng ngày lưu ngoài bảng dữ liệu bị thay đổi hoặc không đọc được (mã băm SHA-256 không khớp): báo ngay cho kiểm toán và quản trị hệ thống.',
  digest_missing:
    'Bảng dữ liệu thiếu bản chốt sổ cái của một ngày đã lưu ngoài bảng dữ liệu: báo ngay cho kiểm toán và quản trị hệ thống.',
  payload_too_large: 'Dữ liệu hoặc tệp gửi lên quá lớn: chia nhỏ hoặc giảm dung lượng rồi gửi lại.',
  unsupported_media_type: 'Định dạng gửi lên không được nhận: dùng đúng loại tệp (JSON, .xlsx hoặc .csv).',
  service_unavailable: 'Hệ thống đang bận trong giây lát: thử lại sau ít phút.',
  internal_error: 'Có lỗi phía hệ thống: thử lại sau; nếu vẫn lỗi, báo quản trị kèm mã yêu cầu.',
  invalid_confirmation:
    'Liên kết xác nhận không hợp lệ, đã hết hạn hoặc đăng ký đã bị xoá: đăng ký nhận thư lại để có liên kết mới.',
  invalid_cursor: 'Vị trí trang không hợp lệ hoặc đã cũ: quay lại trang đầu của danh sách.',
  not_measured:
    'Chỉ tiêu này được tính tự động, không nhập kết quả đo: chỉ nhập cho chỉ tiêu có nguồn là số đo.',
  fiscal_year_closed: 'Năm kế hoạch đã khoá sổ: không ghi thêm; ghi vào năm kế hoạch đang mở.',
  invalid_carry_over:
    'Lựa chọn chuyển nguồn sang năm sau chưa hợp lệ: kiểm tra khoản vốn và số tiền chuyển nguồn.',
  too_many_moves: 'Quá nhiều khoản chuyển trong một quyết định: tách thành nhiều quyết định.',
  circular_reallocation: 'Một khoản vốn vừa chuyển đi vừa nhận về: bù trừ các khoản chuyển.',
  fiscal_year_mismatch: 'Các khoản vốn trong một quyết định điều chỉnh phải cùng một năm kế hoạch.',
  funding_line_mismatch: 'Các khoản vốn trong một quyết định điều chỉnh phải cùng một nguồn vốn.',
  capital_type_mismatch:
    'Các khoản vốn trong một quyết định điều chỉnh phải cùng một loại vốn (đầu tư hoặc sự nghiệp).',
  no_approval_policy:
    'Chưa có quy trình phê duyệt cho địa bàn, năm và nguồn vốn này: đề nghị quản trị hệ thống bổ sung cấu hình.',
  voucher_required:
    'Phê duyệt ở cấp Kho bạc phải ghi chứng từ Kho bạc (số và ngày hạch toán): nhập chứng từ.',
  voucher_not_expected: 'Chỉ phê duyệt của Kho bạc mới ghi chứng từ: bỏ trống phần chứng từ.',
  invalid_value_date:
    'Ngày hạch toán của chứng từ nằm ngoài khoảng cho phép: nhập ngày từ khi lập hồ sơ đến hôm nay.',
  duplicate_voucher: 'Số chứng từ Kho bạc đã được ghi cho hồ sơ khác trong năm: kiểm tra lại số chứng từ.',
  invalid_budget_code: 'Mã ngân sách không có trong danh mục mã của năm: chọn một mã trong danh mục.',
  disbursement_period_closed:
    'Kế hoạch vốn đã hết thời hạn giải ngân: cần quyết định kéo dài thời hạn trước.',
  invalid_extension:
    'Thời hạn kéo dài không hợp lệ: chọn ngày sau thời hạn hiện tại và không quá giới hạn cho phép.',
  advance_limit_exceeded: 'Tạm ứng vượt mức tạm ứng tối đa của hợp đồng: giảm số tạm ứng.',
  recovery_invalid: 'Số thu hồi tạm ứng không hợp lệ: nhập số trong khoảng còn phải thu hồi.',
  contract_value_exceeded: 'Số thanh toán vượt giá trị hợp đồng: giảm số tiền hoặc điều chỉnh hợp đồng.',
  invalid_forecast_query: 'Ngày dự báo không hợp lệ: chọn hôm nay hoặc một ngày trước đó.',
  import_invalid: 'Tệp có ô không hợp lệ nên chưa dòng nào được ghi: sửa các ô được liệt kê rồi gửi lại tệp.',
  import_failed:
    'Việc nhập dừng ở một dòng bị từ chối; các dòng trước đã được ghi: khắc phục rồi gửi lại đúng tệp này để tiếp tục.',
  unreadable_file: 'Không đọc được tệp: gửi tệp .xlsx hoặc .csv (UTF-8) theo mẫu.',
  too_many_rows: 'Tệp có quá nhiều dòng: chia thành nhiều tệp nhỏ hơn.',
  no_rows: 'Tệp không có dòng dữ liệu nào: điền các dòng vào mẫu rồi gửi lại.',
  missing_columns: 'Tệp thiếu cột của mẫu: tải mẫu mới và giữ nguyên dòng tiêu đề.',
  file_too_large: 'Tệp quá lớn: chia thành nhiều tệp nhỏ hơn.',
  duplicate_payee: 'Đơn vị thụ hưởng này đã được đăng ký: dùng mã đã có.',
  unknown_payee: 'Không có đơn vị thụ hưởng này trong danh mục của địa bàn: đăng ký trước hoặc sửa mã.',
  already_supported:
    'Đối tượng này đã được hỗ trợ nội dung này, mà mỗi đối tượng chỉ được hỗ trợ một lần: bỏ dòng trùng.',
  documents_missing:
    'Hồ sơ còn thiếu tài liệu đã kiểm tra: tải lên và kiểm tra đủ tài liệu trước lần phê duyệt cuối.',
  document_not_uploaded: 'Chưa thấy tệp tài liệu đã tải lên: tải tệp lên rồi kiểm tra lại.',
  document_size_mismatch: 'Dung lượng tệp đã tải lên khác với khai báo: tải lại đúng tệp.',
  document_hash_mismatch: 'Nội dung tệp đã tải lên khác với khai báo (mã băm SHA-256): tải lại đúng tệp.',
  document_type_not_accepted:
    'Loại tài liệu này không dùng cho hồ sơ này: chọn một loại tài liệu được chấp nhận.',
} as const satisfies Record<string, string>;

/** A code the API may answer in `{error:{code}}`. */
export type ApiErrorCode = keyof typeof API_ERROR_MESSAGES_VI;

/**
 * The codes of a bad cell of an import (`details.errors[].code` of `import_invalid`) that are not API
 * error codes themselves; a cell refused by a ledger check carries that check's `ApiErrorCode`.
 */
export const CELL_ERROR_MESSAGES_VI = {
  required: 'Ô bắt buộc đang trống: điền giá trị.',
  invalid_value: 'Giá trị của ô không hợp lệ: sửa theo hướng dẫn của cột.',
  duplicate_row: 'Dòng trùng với một dòng khác của tệp: bỏ một dòng.',
  unknown_commune: 'Xã, phường không thuộc địa bàn: chọn tên trong danh sách.',
  example_row: 'Dòng ví dụ của mẫu: xoá dòng này trước khi nhập.',
  unknown_choice: 'Giá trị không có trong danh sách của cột: ghi một trong các giá trị được liệt kê.',
  not_a_number: 'Ô phải là một số: bỏ chữ và ký hiệu.',
  fraction: 'Số tiền phải là số nguyên đồng: bỏ phần lẻ.',
  negative: 'Số không được âm: nhập số từ 0 trở lên.',
  too_large: 'Số quá lớn: kiểm tra lại số tiền.',
  invalid_outputs: 'Chỉ tiêu chưa đúng dạng: ghi «mã=số» cách nhau bởi dấu chấm phẩy.',
} as const satisfies Record<string, string>;

/** A code of a bad cell of an import. */
export type CellErrorCode = keyof typeof CELL_ERROR_MESSAGES_VI | ApiErrorCode;

/** Whether `code` is one the API answers. */
export const isApiErrorCode = (code: string): code is ApiErrorCode =>
  Object.hasOwn(API_ERROR_MESSAGES_VI, code);
