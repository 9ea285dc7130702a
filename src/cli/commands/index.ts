/** The list of command modules; each registers its subcommands on the program. */
import type { Command } from 'commander';
import { registerKeys } from './keys.js';
import { registerFlash } from './flash.js';
import { registerFirmware } from './firmware.js';
import { registerImage } from './image.js';
import { registerUp } from './up.js';
import { registerStatus } from './status.js';
import { registerLms } from './lms.js';
import { registerWsman } from './wsman.js';

export type RegisterCommand = (program: Command) => void;

export const COMMANDS: RegisterCommand[] = [registerKeys, registerFlash, registerImage, registerUp, registerFirmware, registerStatus, registerLms, registerWsman];
