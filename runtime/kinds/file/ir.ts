/** The file kind's IR: paths relative to the manifest directory. */
export interface FileResourceExec {
  readonly path: string;
}

export interface FileTemplateExec {
  readonly root: string;
}
