// Ties the chaos steps to the load instead of the clock, so a run is the same on a fast or a slow
// box: step i starts when conversation i·n/(steps+1) is about to be sent, and the load cannot pass
// the next step's point before step i has finished (so every outage happens under load, and the
// load never outruns the schedule).
export type ChaosStep = [name: string, run: () => Promise<unknown>];

export class ChaosSchedule {
  private readonly points: number[];
  private readonly runs = new Map<number, Promise<void>>();
  private readonly entries: string[] = [];

  constructor(
    total: number,
    private readonly steps: ChaosStep[],
  ) {
    this.points = steps.map((_, i) => Math.floor(((i + 1) * total) / (steps.length + 1)));
  }

  async beforeConversation(index: number): Promise<void> {
    for (let i = 0; i < this.steps.length; i += 1) {
      if (this.points[i]! <= index) this.launch(i);
      const nextPoint = this.points[i + 1] ?? Number.POSITIVE_INFINITY;
      if (nextPoint <= index) await this.runs.get(i);
    }
  }

  /** Runs every step not yet started (a short load) and waits for all of them. */
  async finished(): Promise<void> {
    for (let i = 0; i < this.steps.length; i += 1) {
      this.launch(i);
      await this.runs.get(i);
    }
  }

  /** One line per step: name, the conversation it started at, how long it took. */
  log(): string[] {
    return [...this.entries];
  }

  private launch(i: number): void {
    if (this.runs.has(i)) return;
    const [name, run] = this.steps[i]!;
    const started = Date.now();
    this.runs.set(
      i,
      run().then(() => {
        this.entries.push(`${name} at #${this.points[i]} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }),
    );
  }
}
