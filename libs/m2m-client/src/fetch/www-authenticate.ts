/** One challenge of a `WWW-Authenticate` header: its scheme (lower case) and parameters. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
  token68?: string;
}

const TCHAR = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
/** auth-param (RFC 9110 §11.2): token BWS "=" BWS ( token / quoted-string ). */
const PARAM = new RegExp(`(${TCHAR}+)[ \\t]*=[ \\t]*("(?:[^"\\\\]|\\\\.)*"|${TCHAR}+)`, 'y');
/** A scheme, or a token68 (which may end in "="). */
const WORD = new RegExp(`([A-Za-z0-9._~+/-]+=+|${TCHAR}+)`, 'y');
const SEPARATORS = /[ \t,]*/y;

function unquote(value: string): string {
  return value.startsWith('"') ? value.slice(1, -1).replace(/\\(.)/g, '$1') : value;
}

function matchAt(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/**
 * The challenges of a `WWW-Authenticate` value (RFC 9110 §11.6.1), which may hold several,
 * each with parameters or a token68.
 */
export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  // Right after a scheme and whitespace, a lone word is that scheme's token68.
  let afterScheme = false;
  let at = 0;
  while (at < header.length) {
    const separator = matchAt(SEPARATORS, header, at)![0];
    if (separator.includes(',')) afterScheme = false;
    at += separator.length;
    if (at >= header.length) break;
    const current = challenges.at(-1);
    const param = current === undefined ? null : matchAt(PARAM, header, at);
    if (current !== undefined && param !== null) {
      current.params[param[1]!.toLowerCase()] = unquote(param[2]!);
      at += param[0].length;
      afterScheme = false;
      continue;
    }
    const word = matchAt(WORD, header, at);
    if (word === null) break;
    at += word[0].length;
    if (afterScheme && current !== undefined) {
      current.token68 = word[1]!;
      afterScheme = false;
    } else {
      challenges.push({ scheme: word[1]!.toLowerCase(), params: {} });
      afterScheme = true;
    }
  }
  return challenges;
}

/** Whether a 401 says the bearer token itself was refused (RFC 6750 §3.1 `invalid_token`). */
export function saysInvalidToken(header: string | null): boolean {
  if (header === null) return false;
  return parseChallenges(header).some(
    (challenge) => challenge.scheme === 'bearer' && challenge.params['error'] === 'invalid_token',
  );
}
