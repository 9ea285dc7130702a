/**
 * The registry of every user-visible error code, and the typed error class that carries one.
 * Each code has a stable name, a one-line meaning and the `vme` exit status it maps to; a test
 * keeps `docs/errors.md` in step with this table. Retired codes are never reused.
 */

/** CLI exit statuses (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  failure: 1, // the operation ran and its answer is "no" (e.g. verification failed)
  usage: 2, // bad command line
  badInput: 3, // an input file is malformed (decode error)
  denied: 4, // refused by an access rule (flash master access, anti-rollback, signature policy)
  io: 5, // a file could not be read or written
  degraded: 6, // it worked, degraded: e.g. only the recovery firmware boots
  internal: 70, // a bug in vme
} as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

interface ErrorSpec {
  readonly meaning: string;
  readonly exit: ExitStatus;
}

export const ERROR_CODES = {
  VME_ERR_DECODE: { meaning: 'A binary structure is malformed: truncated, bad magic, bad checksum or a field out of range.', exit: EXIT.badInput },
  VME_ERR_IO: { meaning: 'A file could not be read or written.', exit: EXIT.io },
  VME_ERR_USAGE: { meaning: 'The command line or an option value is invalid.', exit: EXIT.usage },
  VME_ERR_INTERNAL: { meaning: 'An unexpected internal failure (a bug in vme).', exit: EXIT.internal },
  // Flash (src/flash): descriptor access rules, address ranges, fault injection.
  VME_ERR_FLASH_ACCESS_DENIED: { meaning: 'The flash descriptor does not let this master read, write or erase this region.', exit: EXIT.denied },
  VME_ERR_FLASH_RANGE: { meaning: 'A flash access names a missing region, lies outside its region or the device, or erases a partial 4 KiB sector.', exit: EXIT.usage },
  VME_ERR_POWER_LOSS: { meaning: 'Simulated power loss during a flash write or erase (fault-injection testing only).', exit: EXIT.io },
  // Engine devices (src/devices): DMA, crypto engine, SRAM, UMA.
  VME_ERR_DMA_DENIED: { meaning: "A DMA transfer falls outside the channel's grant, touches protected memory or is a refused kind (host to host).", exit: EXIT.denied },
  VME_ERR_DMA_RANGE: { meaning: 'A DMA request or grant is malformed: zero length, wrap-around, unaligned, over-long, beyond memory or mismatched lengths.', exit: EXIT.badInput },
  VME_ERR_DMA_BUSY: { meaning: 'A buffer is still lent to an in-flight DMA transfer and cannot be used until it completes.', exit: EXIT.failure },
  VME_ERR_CRYPTO_KEY_OWNER: { meaning: 'A crypto engine key handle belongs to another owner.', exit: EXIT.denied },
  VME_ERR_CRYPTO_KEY: { meaning: 'A crypto engine key handle is unknown, destroyed or of the wrong kind for the operation.', exit: EXIT.badInput },
  VME_ERR_CRYPTO_AUTH: { meaning: 'Authenticated decryption failed: the tag does not match the data.', exit: EXIT.failure },
  VME_ERR_SRAM_BUDGET: { meaning: 'The engine SRAM budget is outside 256 KiB to 1 MiB or not a whole number of 4 KiB pages.', exit: EXIT.usage },
  VME_ERR_MEMORY_EXHAUSTED: { meaning: 'Engine memory has no free page: SRAM is full and UMA is full or holds nothing evictable.', exit: EXIT.failure },
  VME_ERR_MEMORY_QUOTA: { meaning: "An app asked for more engine memory pages than its manifest's memory grant (maxPages) allows.", exit: EXIT.denied },
  VME_ERR_PAGE_ACCESS: { meaning: 'An engine page handle is unknown, freed or owned by another app, or the access falls outside the page.', exit: EXIT.denied },
  VME_ERR_UMA_UNAVAILABLE: { meaning: 'No UMA region is reserved yet (the host has not sent DRAM-init-done), so pages cannot be paged out.', exit: EXIT.failure },
  VME_ERR_UMA_RESERVE: { meaning: 'The UMA reservation is invalid: misaligned, outside host DRAM, too small or made twice.', exit: EXIT.badInput },
  VME_ERR_UMA_INTEGRITY: { meaning: 'A page read back from UMA failed its integrity check: the host modified, swapped or replayed it.', exit: EXIT.failure },
  VME_ERR_KEYS_MISSING: { meaning: 'A development key directory or key file does not exist.', exit: EXIT.io },
  VME_ERR_KEYS_INVALID: { meaning: 'A key file is not an RSA-2048 key of the expected kind.', exit: EXIT.badInput },
  VME_ERR_KEYS_EXIST: { meaning: 'Development keys already exist; refusing to overwrite without --force.', exit: EXIT.failure },
  VME_ERR_FUSES_INVALID: { meaning: 'The fuse file is missing, not vme-fuses/1 JSON, or a field is malformed.', exit: EXIT.badInput },
  VME_ERR_FUSES_LOWER: { meaning: 'Refused to lower the anti-rollback fuse (svnFloor only ever rises).', exit: EXIT.denied },
  VME_ERR_APP_MANIFEST: { meaning: 'The application manifest definition (JSON) is invalid; the message names the JSON path.', exit: EXIT.badInput },
  VME_ERR_ME_BUILD: { meaning: 'A code partition or ME region cannot be built from the given inputs (sizes, names).', exit: EXIT.badInput },
  VME_ERR_VERIFY_STRUCTURE: { meaning: 'Firmware verification failed: a partition, directory or manifest is missing or malformed.', exit: EXIT.failure },
  VME_ERR_VERIFY_KEY: { meaning: 'Firmware verification failed: the manifest key is not the one whose hash is fused.', exit: EXIT.failure },
  VME_ERR_VERIFY_SIGNATURE: { meaning: 'Firmware verification failed: the manifest signature does not verify.', exit: EXIT.failure },
  VME_ERR_VERIFY_HASH: { meaning: 'Firmware verification failed: a partition, metadata or module hash does not match the signed manifest.', exit: EXIT.failure },
  VME_ERR_VERIFY_PLATFORM: { meaning: 'Firmware verification failed: the firmware is bound to another platform.', exit: EXIT.failure },
  VME_ERR_VERIFY_ROLLBACK: { meaning: 'Firmware verification failed: its anti-rollback SVN is below the fused floor.', exit: EXIT.denied },
  // Firmware update (src/firmware).
  VME_ERR_UPDATE_PACKAGE: { meaning: 'The update package lacks FTPR or NFTP, or its partitions disagree on platform, version or SVN.', exit: EXIT.badInput },
  VME_ERR_UPDATE_FIT: { meaning: 'A package partition does not fit its $FPT slot in the image (or the image has no such code partition).', exit: EXIT.badInput },
  VME_ERR_UPDATE_READBACK: { meaning: 'A partition read back after writing differs from the package: the flash write did not take.', exit: EXIT.io },
  // Engine NVRAM file system (src/kernel/nvram).
  VME_ERR_NVRAM_INTEGRITY: { meaning: 'The NVRAM partition holds bytes that fail their MAC or structure checks: tampered, corrupted or garbage data.', exit: EXIT.failure },
  VME_ERR_NVRAM_REPLAY: { meaning: 'The NVRAM partition is older (or newer) than the anti-replay counter allows: a rolled-back or swapped image.', exit: EXIT.failure },
  VME_ERR_NVRAM_FULL: { meaning: 'The NVRAM partition has no room for the commit even after compaction; nothing was written.', exit: EXIT.failure },
  VME_ERR_NVRAM_QUOTA: { meaning: "The commit would exceed the namespace's NVRAM quota; nothing was written.", exit: EXIT.denied },
  VME_ERR_NVRAM_ARGUMENT: { meaning: 'An NVRAM argument is invalid: key, value, namespace name, transaction size, secret or partition geometry.', exit: EXIT.badInput },
  VME_ERR_NVRAM_STORE: { meaning: 'The NVRAM partition store refused an operation: out of range, unaligned erase, or a program that would set bits.', exit: EXIT.io },
  VME_ERR_NVRAM_POWER_LOSS: { meaning: 'A simulated power loss interrupted an NVRAM store operation (fault injection).', exit: EXIT.io },
  VME_ERR_NVRAM_STALE: { meaning: 'The NVRAM instance is unusable because a storage failure interrupted an update; mount again.', exit: EXIT.failure },
  VME_ERR_NVRAM_COUNTER: { meaning: 'The anti-replay counter store is unreadable, malformed or did not advance as expected.', exit: EXIT.io },
  // Engine kernel (src/kernel, src/engine): capabilities, inter-app calls, supervisor.
  VME_ERR_CAPABILITY_DENIED: { meaning: "An app used a capability its manifest does not grant, or an operation the capability does not offer; the kernel refused it and wrote an audit event.", exit: EXIT.denied },
  VME_ERR_IPC_DENIED: { meaning: 'An inter-app call names an unknown operation or a caller the interface does not allow.', exit: EXIT.denied },
  VME_ERR_IPC_INVALID: { meaning: "A call's arguments or reply do not match the declared interface: missing or extra fields, wrong types, or over the size limit.", exit: EXIT.badInput },
  VME_ERR_APP_UNAVAILABLE: { meaning: 'The app is not serving: it is restarting after a fault, was given up by the supervisor, or the engine is stopped or down.', exit: EXIT.failure },
  VME_ERR_APP_FAULT: { meaning: 'The app faulted while handling the request (it threw, hung past its deadline or exceeded its memory budget); the supervisor restarts it.', exit: EXIT.failure },
  VME_ERR_APP_MODULE: { meaning: 'The verified manifest names an app for which this build has no code, or its module does not export an app.', exit: EXIT.failure },
  // Host model (src/host): power states, power requests, boot order.
  VME_ERR_HOST_POWER_STATE: { meaning: 'The host cannot make this power transition from its current state (e.g. sleep while off, or a graceful request with no running OS).', exit: EXIT.failure },
  VME_ERR_HOST_POWER_REQUEST: { meaning: 'The power state number is not one the host supports as a request (supported: 2, 4, 5, 7, 8, 10, 11, 12, 14).', exit: EXIT.badInput },
  VME_ERR_HOST_BOOT_ORDER: { meaning: 'A boot order or one-time boot names an unknown boot device or repeats one.', exit: EXIT.badInput },
  // QEMU host adapter (src/host/qemu): the qemu process and its QMP connection.
  VME_ERR_QEMU_NOT_FOUND: { meaning: 'The QEMU host needs qemu-system-x86_64 (Debian package qemu-system-x86), which is not installed or not runnable; the message names the program looked for.', exit: EXIT.failure },
  VME_ERR_QEMU_START: { meaning: 'QEMU did not start or stopped unexpectedly: a bad disk or CD image, a refused option, or no QMP/serial connection in time; the message carries the end of its stderr.', exit: EXIT.failure },
  VME_ERR_QMP_PROTOCOL: { meaning: 'A QMP message from QEMU is malformed: not JSON, over the line limit, no greeting, an unknown reply id or a reply of the wrong shape.', exit: EXIT.badInput },
  VME_ERR_QMP_COMMAND: { meaning: "QEMU refused a QMP command; the message names the command, QEMU's error class and its description.", exit: EXIT.failure },
  VME_ERR_QMP_UNAVAILABLE: { meaning: 'A QMP command got no answer: the reply timed out, or the QMP connection was closed or never negotiated.', exit: EXIT.failure },
  VME_ERR_NBD_PROTOCOL: { meaning: 'A client of the NBD server that serves IDE-R media to QEMU sent a malformed message (bad magic, no fixed newstyle, an oversized option or write); the connection is closed.', exit: EXIT.badInput },
  // AMT network side (src/amt): HTTP framing, Digest users, TLS settings.
  VME_ERR_HTTP_MALFORMED: { meaning: 'An HTTP request on an AMT port is malformed (request line, header, framing or chunk syntax); the device answers 400 and closes the connection.', exit: EXIT.badInput },
  VME_ERR_HTTP_TOO_LARGE: { meaning: 'An HTTP request on an AMT port exceeds a limit (request line, header count or size, body size, pipelined requests); the device answers 400 and closes the connection.', exit: EXIT.badInput },
  VME_ERR_AMT_ACTIVATION: { meaning: 'Activating AMT failed: the device is already activated, does not allow the control mode, or its setup method returned a non-zero ReturnValue (given in the message).', exit: EXIT.failure },
  VME_ERR_AMT_AUTH_CONFIG: { meaning: 'The Digest realm or user table is invalid (realm shape, empty or duplicate user, HA1 not 32 lower-case hex, empty access-realm name).', exit: EXIT.badInput },
  VME_ERR_AMT_TLS_CONFIG: { meaning: 'The AMT TLS settings are invalid: unknown profile, missing key or certificate, or mutual TLS without a trusted root.', exit: EXIT.badInput },
  VME_ERR_AMT_PKI_INVALID: { meaning: 'A certificate, key or certificate request given to the AMT certificate store is not acceptable: not DER X.509 / PKCS#1 / PKCS#8 RSA / PKCS#10, too large, or its key does not match; the WS-Man method answers a PT_STATUS ReturnValue.', exit: EXIT.badInput },
  // AMT WS-Management layer (src/amt/wsman): SOAP parsing, faults, class declarations.
  VME_ERR_WSMAN_MALFORMED: { meaning: 'A WS-Man request body is not acceptable SOAP: not well-formed UTF-8 XML, a DTD or entity, not a SOAP 1.2 envelope, or a required header missing; the device answers a SOAP fault (HTTP 400).', exit: EXIT.badInput },
  VME_ERR_WSMAN_TOO_LARGE: { meaning: 'A WS-Man request exceeds a parser limit (body size, element depth, element, attribute or text size); the device answers the wsman:EncodingLimit fault (HTTP 400).', exit: EXIT.badInput },
  VME_ERR_WSMAN_FAULT: { meaning: 'A WS-Man request was refused with a SOAP fault; the message names the subcode (e.g. AccessDenied, DestinationUnreachable, InvalidSelectors, ActionNotSupported).', exit: EXIT.failure },
  VME_ERR_WSMAN_DECLARATION: { meaning: 'A WS-Man class declaration is invalid (duplicate class or property, unknown realm or type, method without ReturnValue codes); found when the registry is built.', exit: EXIT.internal },
  // AMT provisioning state (src/amt-state).
  VME_ERR_AMT_CLIENT: { meaning: 'A WS-Man exchange with an AMT device failed: connection refused or timed out, certificate pin mismatch, login refused, a SOAP fault, or a reply that is not SOAP.', exit: EXIT.failure },
  VME_ERR_AMT_STATE_CORRUPT: { meaning: 'A value of the AMT provisioning state in NVRAM fails validation (corrupted, tampered or from an unknown format).', exit: EXIT.failure },
  VME_ERR_AMT_STATE_ARGUMENT: { meaning: 'An AMT provisioning state update is invalid: unknown state or mode, over-long DNS suffix, bad certificate hash or unknown handle.', exit: EXIT.badInput },
  // HECI bus and MEI device (src/heci).
  VME_ERR_MEI_ERRNO: { meaning: 'The MEI device refused an operation with the Linux driver errno in the message: ENOTTY unknown client, EBUSY connected or at the limit, ENODEV engine down or not connected, EFBIG too long, EAGAIN no credit and queue full, ETIMEDOUT, EMSGSIZE.', exit: EXIT.failure },
  VME_ERR_HECI_REGISTRATION: { meaning: 'A firmware HECI client registration is invalid: not a UUID, a duplicate, no free address, or limits out of range.', exit: EXIT.badInput },
  VME_ERR_HECI_SEND: { meaning: 'A firmware HECI client sent what its connection cannot take: closed, over the maximum message length, or the outgoing queue is full.', exit: EXIT.failure },
  // MEBX, the BIOS extension (src/protocols/mebx, src/host/mebx).
  VME_ERR_MEBX_REFUSED: { meaning: 'The engine refused an MEBX request; the message names the MEBX status (e.g. endOfPost after End-of-POST, notAuthenticated, invalidParameter).', exit: EXIT.failure },
  VME_ERR_MEBX_REPLY: { meaning: 'An MEBX reply from the engine is malformed: too short, another command or version, or a body of the wrong size.', exit: EXIT.badInput },
  // APF over LME and local management (src/protocols/apf, src/host/lms).
  VME_ERR_APF_MALFORMED: { meaning: 'An APF message is malformed: empty, truncated, a string or data length over its limit or past the end, trailing bytes, or an unknown message type; the session is reset with DISCONNECT (protocol error).', exit: EXIT.badInput },
  VME_ERR_APF_PROTOCOL: { meaning: 'An APF peer broke the session rules: a message out of order, an unknown channel, data beyond the window, a window overflow or a refused protocol version; the session is reset.', exit: EXIT.failure },
  VME_ERR_LMS_LISTEN: { meaning: 'vme lms cannot listen on a local port AMT forwards (the port is in use or not permitted).', exit: EXIT.failure },
  VME_ERR_LMS_HANDSHAKE: { meaning: 'The engine did not complete the APF handshake on the LME client in time (no LME client, no PROTOCOLVERSION answer, or no port forwarded).', exit: EXIT.failure },
  // AMT redirection, SOL (src/protocols/redirection, src/apps/amt/redirection*.ts).
  VME_ERR_REDIRECTION_MALFORMED: { meaning: 'A redirection message (TCP 16994/16995) is malformed: an unknown type, a payload length over its limit, or an authentication string past the end; the connection is closed.', exit: EXIT.badInput },
  VME_ERR_REDIRECTION_PROTOCOL: { meaning: 'A redirection console broke the session order: a message before StartRedirectionSession or authentication, a second start, or credentials of the wrong shape; the connection is closed.', exit: EXIT.failure },
  // RFB / KVM (src/protocols/rfb, src/amt/kvm).
  VME_ERR_RFB_MALFORMED: { meaning: 'An RFB (VNC) client sent malformed input: not a 3.x version line, an unknown message type, an unsupported pixel format (colour map, not 8/16/32 bpp) or too many encodings; the connection is closed.', exit: EXIT.badInput },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every typed error vme raises on purpose. `details` is machine-readable (for --json). */
export class VmeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  get exitStatus(): ExitStatus {
    return ERROR_CODES[this.code].exit;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}
