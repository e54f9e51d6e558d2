/** Parsers of `--region` and `--account` (run and web): a clear error naming the flag and the value. */
import { InvalidArgumentError } from 'commander';
import { accountProblem, regionProblem } from '../aws/local-identity.js';

export function regionArg(value: string): string {
  const problem = regionProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

export function accountArg(value: string): string {
  const problem = accountProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}
