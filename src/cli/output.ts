/** Where a command writes: stdout for results, stderr for errors. Tests pass their own. */
export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

export const consoleOutput: CommandOutput = {
  log: (line) => console.log(line),
  error: (line) => console.error(line),
};
