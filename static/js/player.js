// The animation clock: a frame index advanced at 60 steps per second times the speed.
const STEPS_PER_SECOND = 60;

export class Player {
  constructor(onFrame, onStop) {
    this.onFrame = onFrame;
    this.onStop = onStop;
    this.playing = false;
    this.speed = 1;
    this.position = 0;
    this.last = 0;
    this.max = 0;
    this.tick = this.tick.bind(this);
  }

  play(from, max) {
    this.max = max;
    this.position = from >= max ? 0 : from;
    this.playing = true;
    this.last = performance.now();
    requestAnimationFrame(this.tick);
  }

  pause() {
    this.playing = false;
  }

  tick(now) {
    if (!this.playing) return;
    // rAF stamps the frame start, which can precede play(); a hidden tab must not jump to the end.
    const elapsed = Math.max(0, Math.min(now - this.last, 100));
    this.last = now;
    this.position = Math.min(this.max, this.position + (elapsed / 1000) * STEPS_PER_SECOND * this.speed);
    this.onFrame(Math.floor(this.position));
    if (this.position >= this.max) {
      this.playing = false;
      this.onStop();
      return;
    }
    requestAnimationFrame(this.tick);
  }
}
