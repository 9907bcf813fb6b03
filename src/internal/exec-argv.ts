/**
 * `process.execArgv` without the given flags, each with its value (`--flag value` or
 * `--flag=value`): what a thread or child process running a file may inherit.
 */
export function execArgvWithout(flags: readonly string[]): string[] {
  const inherited: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (flags.includes(arg)) i++;
    else if (!flags.some((flag) => arg.startsWith(`${flag}=`))) inherited.push(arg);
  }
  return inherited;
}
