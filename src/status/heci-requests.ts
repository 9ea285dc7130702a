/**
 * Host-side request helpers over an MEI session (what MEInfo/amtinfo/rpc-go do): MKHI requests with
 * the 4-byte header and result check, PTHI requests with the 12-byte header and AMT status.
 */
import { MeiDevice } from '../heci/index.js';
import { MkhiHeader, MKHI_RESPONSE_BIT } from '../protocols/mkhi/index.js';
import { PthiHeader, PthiResponseHeader, PTHI_RESPONSE_FLAG, PTHI_VERSION, AMT_STATUS_NAME } from '../protocols/pthi/index.js';
import { VmeError } from '../common/errors.js';

export const MKHI_UUID = '8e6a6715-9abc-4043-88ef-9e39c6f63e0f';
export const AMTHI_UUID = '12f80028-b4b7-4b2d-aca8-46e0ff65814c';

/** Sends one MKHI request and returns the reply body after the header; throws on a failed result. */
export async function mkhiRequest(mei: MeiDevice, group: number, command: number, body: Uint8Array = new Uint8Array()): Promise<Uint8Array> {
  const request = new Uint8Array(MkhiHeader.size + body.length);
  MkhiHeader.serialize({ groupId: group, command, reserved: 0, result: 0 }, request, 0);
  request.set(body, MkhiHeader.size);
  const reply = await mei.request(request);
  const header = MkhiHeader.parse(reply);
  if (header.groupId !== group || header.command !== (command | MKHI_RESPONSE_BIT)) {
    throw new VmeError('VME_ERR_DECODE', `MKHI reply for group 0x${group.toString(16)} command 0x${command.toString(16)} has group 0x${header.groupId.toString(16)} command 0x${header.command.toString(16)}`);
  }
  if (header.result !== 0) throw new VmeError('VME_ERR_DECODE', `MKHI group 0x${group.toString(16)} command 0x${command.toString(16)} failed with result 0x${header.result.toString(16)}`);
  return reply.subarray(MkhiHeader.size);
}

export interface PthiReply {
  readonly status: number;
  readonly statusName: string;
  readonly data: Uint8Array;
}

/** Sends one PTHI request; returns the AMT status and the data after the 16-byte response header. */
export async function pthiRequest(mei: MeiDevice, command: number, body: Uint8Array = new Uint8Array()): Promise<PthiReply> {
  const request = new Uint8Array(PthiHeader.size + body.length);
  PthiHeader.serialize({ majorVersion: PTHI_VERSION.major, minorVersion: PTHI_VERSION.minor, reserved: 0, command, length: body.length }, request, 0);
  request.set(body, PthiHeader.size);
  const reply = await mei.request(request);
  const header = PthiResponseHeader.parse(reply);
  if (header.command !== ((command | PTHI_RESPONSE_FLAG) >>> 0)) {
    throw new VmeError('VME_ERR_DECODE', `PTHI reply for 0x${command.toString(16)} carries command 0x${header.command.toString(16)}`);
  }
  return { status: header.status, statusName: AMT_STATUS_NAME.get(header.status) ?? `0x${header.status.toString(16)}`, data: reply.subarray(PthiResponseHeader.size) };
}
