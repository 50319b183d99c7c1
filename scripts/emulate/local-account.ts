/**
 * Where the emulated functions live: the emulator's one region, the AWS
 * documentation's example account (the emulator starts every execution in
 * it), and the dummy credentials every local process signs its requests with.
 * Neither the emulator nor the Invoke host checks a signature.
 */
export const LOCAL_ACCOUNT = {
  region: "us-east-1",
  account: "123456789012",
  credentials: { accessKeyId: "LOCALEMULATORKEY", secretAccessKey: "local-emulator-secret" },
} as const;
