/** A PascalCase construct id from a topology id (`approvals-central` → `ApprovalsCentral`). */
export const constructId = (topologyId: string): string =>
  topologyId
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
