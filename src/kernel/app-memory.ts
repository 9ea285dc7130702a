/**
 * One app's pageable engine memory (capability `memory`): the kernel's per-instance page table
 * over the platform's `EngineMemory`. The app names pages by small numbers the kernel hands out;
 * only numbers in the calling instance's own table resolve, so an app can never name another
 * app's page (or its own previous incarnation's). Device pages are owned by the instance
 * (`<app>#<incarnation>`) and freed when the instance ends. `maxPages` caps the table.
 */
import type { EngineMemory, PageHandle, PageLocation } from '../devices/index.js';
import { kernelFail } from './errors.js';

export class AppMemory {
  readonly #pages = new Map<number, PageHandle>();
  #incarnation = 0;
  /** Page numbers keep growing across incarnations, so a stale number never aliases a new page. */
  #nextPage = 1;

  constructor(readonly app: string, readonly memory: EngineMemory, readonly maxPages: number) {}

  /** The device owner of the current instance's pages. */
  get owner(): string {
    return `${this.app}#${this.#incarnation}`;
  }

  get pageCount(): number {
    return this.#pages.size;
  }

  /** Serves incarnation `incarnation` from now on; the previous incarnation's pages are freed. */
  bind(incarnation: number): void {
    if (incarnation === this.#incarnation) return;
    this.release();
    this.#incarnation = incarnation;
  }

  /** Frees every page of the current instance (it ended: faulted, restarted or stopped). */
  release(): void {
    for (const handle of this.#pages.values()) this.memory.free(this.owner, handle);
    this.#pages.clear();
  }

  /** @throws KernelError VME_ERR_MEMORY_QUOTA; DeviceError VME_ERR_UMA_UNAVAILABLE (degraded), VME_ERR_MEMORY_EXHAUSTED */
  allocate(): number {
    if (this.#pages.size >= this.maxPages) kernelFail('VME_ERR_MEMORY_QUOTA', `${this.app} already holds its ${this.maxPages} granted pages`, { app: this.app, maxPages: this.maxPages });
    const handle = this.memory.allocate(this.owner);
    const page = this.#nextPage++;
    this.#pages.set(page, handle);
    return page;
  }

  /** @throws KernelError VME_ERR_PAGE_ACCESS; DeviceError VME_ERR_UMA_INTEGRITY (page-in found tampering), … */
  read(page: number, offset: number, length: number): Uint8Array {
    return this.memory.read(this.owner, this.#handle(page), offset, length);
  }

  /** @throws as `read` */
  write(page: number, offset: number, bytes: Uint8Array): void {
    this.memory.write(this.owner, this.#handle(page), offset, bytes);
  }

  free(page: number): void {
    this.memory.free(this.owner, this.#handle(page));
    this.#pages.delete(page);
  }

  /** Where each page is now (diagnostics and host-attack tests). */
  locations(): { page: number; location: PageLocation }[] {
    return [...this.#pages].map(([page, handle]) => ({ page, location: this.memory.locate(handle) }));
  }

  #handle(page: number): PageHandle {
    return this.#pages.get(page) ?? kernelFail('VME_ERR_PAGE_ACCESS', `${this.app} holds no page ${page}`, { app: this.app, page });
  }
}
