// A transfer's progress: a <progress> bar, bytes done of total, speed and time left, measured
// over the last few seconds so that a stall shows at once. Announced politely to screen readers.
import { formatBytes, formatDuration, h } from './dom.js';

const WINDOW_MS = 3000;

export class Progress {
  /**
   * @param {Element} container where the bar goes (the transfers list)
   * @param {string} label e.g. "Uploading report.pdf"
   */
  constructor(container, label) {
    this.bar = /** @type {HTMLProgressElement} */ (h('progress', { max: 1, value: 0 }));
    this.text = h('span', { className: 'progress-text' }, '…');
    this.element = h('li', { className: 'transfer', 'aria-live': 'polite' }, h('span', { className: 'progress-label' }, label), this.bar, this.text);
    container.append(this.element);
    this.started = performance.now();
    /** @type {Array<{ t: number, done: number }>} */
    this.samples = [{ t: this.started, done: 0 }];
    this.lastPaint = 0;
  }

  /**
   * @param {number} done bytes
   * @param {number} total bytes
   */
  update(done, total) {
    const now = performance.now();
    this.samples.push({ t: now, done });
    while (this.samples.length > 2 && now - this.samples[0].t > WINDOW_MS) this.samples.shift();
    if (now - this.lastPaint < 100 && done < total) return;
    this.lastPaint = now;
    const first = this.samples[0];
    const seconds = (now - first.t) / 1000;
    const speed = seconds > 0 ? (done - first.done) / seconds : 0;
    const left = speed > 0 ? (total - done) / speed : Infinity;
    this.bar.max = Math.max(1, total);
    this.bar.value = done;
    this.text.textContent = `${formatBytes(done)} of ${formatBytes(total)} · ${formatBytes(Math.round(speed))}/s · ${formatDuration(left)} left`;
  }

  /** @param {number} total */
  finish(total) {
    const seconds = (performance.now() - this.started) / 1000;
    this.bar.max = Math.max(1, total);
    this.bar.value = this.bar.max;
    this.element.classList.add('done');
    this.text.textContent = `${formatBytes(total)} in ${seconds.toFixed(1)} s (${formatBytes(Math.round(total / Math.max(seconds, 0.001)))}/s) · done`;
  }

  /** @param {string} message */
  fail(message) {
    this.element.classList.add('failed');
    this.text.textContent = message;
    this.text.setAttribute('role', 'alert');
  }
}
