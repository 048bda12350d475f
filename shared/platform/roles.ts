/** Token groups (DESIGN §6). */
export const ROLES = [
  'planner',
  'finance',
  'approver-commune',
  'approver-district',
  'approver-district-leader',
  'approver-province',
  'treasury',
  'inspector',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];
