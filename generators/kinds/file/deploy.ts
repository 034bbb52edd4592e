import type { FileResourceExec, FileTemplateExec } from '../../../runtime/kinds/file/ir.js';
import type { KindDeploy } from '../kind.js';

/** File resources are read on every request: a bundle carries the files and directories they name. */
export const fileDeploy: KindDeploy = {
  needs(artifact) {
    const paths = [
      ...artifact.resources.flatMap((r) => (r.exec.kind === 'file' ? [(r.exec as FileResourceExec).path] : [])),
      ...artifact.resourceTemplates.flatMap((r) => (r.exec.kind === 'file' ? [(r.exec as FileTemplateExec).root] : []))
    ];
    return { files: [...new Set(paths)] };
  }
};
