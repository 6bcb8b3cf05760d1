/** Application state shared by every handler, created by the lifespan. */
export class Context {
  readonly calledTools: string[] = [];
  addCalledTool(name: string): void {
    this.calledTools.push(name);
  }
}
export interface DemoState {
  context: Context;
}
