/**
 * The host side of local activation, step one (as rpc-go does it): read the local system account
 * and the control mode over PTHI through the MEI device. These credentials only work through LMS.
 */
import { MeiDevice } from '../../heci/index.js';
import { ControlModeResponse, LocalSystemAccountRequest, LocalSystemAccountResponse, PTHI_COMMAND } from '../../protocols/pthi/index.js';
import { AMTHI_UUID, pthiRequest } from '../../status/index.js';
import { VmeError } from '../../common/errors.js';

export interface LocalAmtFacts {
  readonly account: { readonly username: string; readonly password: string };
  /** 0 none (pre-provisioning), 1 client, 2 admin. */
  readonly controlMode: number;
}

/** @throws VmeError VME_ERR_AMT_ACTIVATION when PTHI refuses; MeiErrnoError when the device is absent */
export async function readLocalAmtFacts(device: string): Promise<LocalAmtFacts> {
  const mei = await MeiDevice.open(device);
  try {
    await mei.connect(AMTHI_UUID);
    const check = (name: string, status: number, statusName: string): void => {
      if (status !== 0) throw new VmeError('VME_ERR_AMT_ACTIVATION', `PTHI ${name} returned ${statusName}`);
    };
    const account = await pthiRequest(mei, PTHI_COMMAND.getLocalSystemAccount, LocalSystemAccountRequest.serialize({ reserved: new Uint8Array(40) }));
    check('GetLocalSystemAccount', account.status, account.statusName);
    const mode = await pthiRequest(mei, PTHI_COMMAND.getControlMode);
    check('GetControlMode', mode.status, mode.statusName);
    const { username, password } = LocalSystemAccountResponse.parse(account.data);
    return { account: { username, password }, controlMode: ControlModeResponse.parse(mode.data).controlMode };
  } finally {
    await mei.close();
  }
}
