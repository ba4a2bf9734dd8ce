// Which declared permissions act on a project and which only on a folder or organisation: a project-level custom role
// cannot hold the latter (IAM refuses to create it), and a project's testIamPermissions does not answer for them.

/** Listing folders or projects, and reading folders or organisations, are checked on the parent node. */
export function isHierarchyPermission(permission: string): boolean {
  return (
    permission.startsWith('resourcemanager.folders.') ||
    permission.startsWith('resourcemanager.organizations.') ||
    permission === 'resourcemanager.projects.list'
  );
}

/** The permissions a role granted on a project can hold and use, sorted. */
export function projectLevelPermissions(permissions: readonly string[]): string[] {
  return [...new Set(permissions.filter((permission) => !isHierarchyPermission(permission)))].sort();
}

/** The permissions used on the folder or organisation a sweep walks, sorted. */
export function hierarchyPermissions(permissions: readonly string[]): string[] {
  return [...new Set(permissions.filter(isHierarchyPermission))].sort();
}
