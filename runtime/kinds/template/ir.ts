/** The template kind's IR: the name of a precompiled Handlebars template in templates.mjs. */
export interface TemplateExec {
  readonly template: string;
}
