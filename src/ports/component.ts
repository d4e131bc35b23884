/** Anything with a lifetime: started in order by the composition root, stopped in reverse. */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
