// Notices a gateway that has gone quiet: the countdown runs only while the client waits for
// bytes, so a consumer that takes its time between events is never mistaken for a stall.

export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  private waiting = false;
  private fired = false;

  constructor(
    readonly ms: number,
    private readonly onIdle: () => void,
  ) {}

  get timedOut(): boolean {
    return this.fired;
  }

  /** The client starts waiting for the gateway: (re)starts the countdown. */
  wait(): void {
    this.waiting = true;
    // refresh() re-arms the same timer (even one that already ran) without a new allocation per read.
    if (this.timer) this.timer.refresh();
    else this.timer = setTimeout(this.fire, this.ms);
  }

  /** Something arrived: the countdown pauses until the next wait(). */
  arrived(): void {
    this.waiting = false;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.waiting = false;
  }

  private readonly fire = (): void => {
    if (!this.waiting || this.fired) return;
    this.fired = true;
    this.onIdle();
  };
}
