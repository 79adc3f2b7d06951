/** The process's phase, shared by readiness (which reports it) and shutdown (which moves it). */
export class Lifecycle {
  #draining = false;

  /** True from the first shutdown signal on: /readyz answers 503 so load balancers move away. */
  get draining(): boolean {
    return this.#draining;
  }

  startDraining(): void {
    this.#draining = true;
  }
}
