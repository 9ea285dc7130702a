/**
 * One platform's HECI wiring: the firmware bus, the link (two circular buffers) and the host
 * driver, connected. The engine registers its clients on `bus`; the device socket serves files of
 * `driver`. Engine down/up model a reset: every host file is disconnected and the host re-runs the
 * HBM start-up (HBM dynamic client addition is not modelled, so clients registered later appear
 * after the next `restart`).
 */
import { HeciBus, type HeciBusOptions } from './bus.js';
import { MeiHostDriver, type MeiHostDriverOptions } from './host-driver.js';
import { HeciLink } from './link.js';

export interface HeciPlatformOptions {
  /** Circular buffer depth in dwords (H_CBD), a power of two 16..128; default 128. */
  readonly bufferDepth?: number;
  readonly bus?: Omit<HeciBusOptions, 'transmit' | 'fragmentBytes'>;
  readonly driver?: Omit<MeiHostDriverOptions, 'transmit' | 'fragmentBytes'>;
}

export class HeciPlatform {
  readonly link: HeciLink;
  readonly bus: HeciBus;
  readonly driver: MeiHostDriver;

  constructor(options: HeciPlatformOptions = {}) {
    this.link = new HeciLink(options.bufferDepth);
    const fragmentBytes = this.link.maxFragmentBytes;
    this.bus = new HeciBus({ ...options.bus, fragmentBytes, transmit: (frame) => this.link.engineTransmit(frame) });
    this.driver = new MeiHostDriver({ ...options.driver, fragmentBytes, transmit: (frame) => this.link.hostTransmit(frame) });
    this.link.attach({ engine: (frame) => this.bus.receive(frame), host: (frame) => this.driver.receive(frame) });
  }

  /** Brings the host driver up (HBM start-up and enumeration). @throws MeiErrnoError ENODEV */
  async start(): Promise<void> {
    await this.driver.start();
  }

  /** The engine stops answering: connections drop, host files see ENODEV until `restart`. */
  engineDown(): void {
    this.driver.linkDown();
    this.link.reset();
    this.bus.reset();
  }

  /** Link reset and a fresh HBM start-up (re-enumerates the clients). */
  async restart(): Promise<void> {
    this.engineDown();
    await this.driver.start();
  }
}
