/**
 * The loop that keeps a consumer of the log caught up, shared by the projection runner and the reactor runner: a turn,
 * then either another turn at once (an append landed during the turn, or the turn says more is waiting) or a pause
 * that the next local append cuts short; after a failure, a pause that appends do not cut short. Stopping ends a pause
 * at once and waits for the turn under way.
 */

export interface CatchUpTurn {
  /** The turn failed: the pause is the caller's failure pause, and appends do not cut it short. */
  readonly failed: boolean;
  /** More of the log is known to be waiting (a full batch was read): turn again at once. */
  readonly more?: boolean;
}

export interface CatchUpLoopOptions {
  /** Listens for this process's appends; returns the function that stops listening. */
  readonly onAppend: (listener: () => void) => () => void;
  /**
   * One turn. `atOnce` is true for the first turn and when the previous one was followed at once or an append ended its
   * pause; false after a timer ran out (another instance may have appended: the turn may probe before working).
   */
  readonly turn: (atOnce: boolean) => Promise<CatchUpTurn>;
  /** How long to pause after a turn that is not followed at once (asked when the pause starts). */
  readonly pauseMs: (turn: CatchUpTurn) => number;
  /** A turn that threw: reported, then treated as failed. */
  readonly onError: (error: unknown) => void;
}

export class CatchUpLoop {
  private running = false;
  private done: Promise<void> = Promise.resolve();
  private endPause: () => void = () => undefined;

  constructor(private readonly options: CatchUpLoopOptions) {}

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.endPause();
    await this.done;
  }

  private async loop(): Promise<void> {
    let atOnce = true;
    while (this.running) {
      // Listen before the turn, so an append that lands during it calls for another turn at once.
      let appended = false;
      let appendDuringPause = () => undefined as void;
      const stopListening = this.options.onAppend(() => {
        appended = true;
        appendDuringPause();
      });
      let outcome: CatchUpTurn;
      try {
        outcome = await this.options.turn(atOnce);
      } catch (error) {
        this.options.onError(error);
        outcome = { failed: true };
      }
      atOnce = !outcome.failed && (appended || outcome.more === true);
      if (!atOnce && this.running) {
        await new Promise<void>((resolve) => {
          const finish = () => {
            clearTimeout(timer);
            this.endPause = () => undefined;
            resolve();
          };
          const timer = setTimeout(finish, this.options.pauseMs(outcome));
          this.endPause = finish;
          appendDuringPause = () => {
            atOnce = true;
            if (!outcome.failed) finish();
          };
        });
      }
      stopListening();
    }
  }
}
