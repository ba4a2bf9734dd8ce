// Port: the projects directly under a folder or organisation (Cloud Resource Manager `projects.search`).

export interface ProjectFinder {
  projectsUnder(parent: string): Promise<string[]>;
}
