import os from 'node:os';

/** The machine a benchmark ran on. */
export interface SystemInfo {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly platform: string;
}

/** Node version, first CPU's model, logical core count and platform of this machine. */
export function systemInfo(): SystemInfo {
  const cpus = os.cpus();
  return {
    node: process.version,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

/** `SystemInfo` as markdown bullet lines. */
export function formatSystem(info: SystemInfo): string {
  return [
    `- Node: ${info.node} (${info.platform})`,
    `- CPU: ${info.cpu}`,
    `- Cores: ${info.cores}`,
  ].join('\n');
}
