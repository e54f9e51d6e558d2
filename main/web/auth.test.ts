import { describe, expect, it } from 'vitest';
import {
  createToken,
  crossOriginReason,
  headerToken,
  isJsonContentType,
  refuseCall,
  refuseUpgrade,
  socketProtocolToken,
  tokenFromEnv,
  tokensEqual,
} from './auth.js';

const PORT = 4100;
const TOKEN = 't'.repeat(43);
const OWN = { host: `127.0.0.1:${PORT}` };
const json = { ...OWN, 'content-type': 'application/json' };

describe('tokens', () => {
  it('are long, random and URL/header safe', () => {
    const a = createToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createToken()).not.toBe(a);
  });

  it('compare equal only when identical, whatever the lengths', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensEqual(TOKEN, '')).toBe(false);
    expect(tokensEqual(TOKEN, `u${TOKEN.slice(1)}`)).toBe(false);
  });
});

describe('calls (/api, /auth)', () => {
  it('accept this page: own origin, same-origin fetch, JSON, token header', () => {
    const req = {
      method: 'POST',
      headers: {
        ...json,
        origin: `http://127.0.0.1:${PORT}`,
        'sec-fetch-site': 'same-origin',
        'x-taskdeck-token': TOKEN,
      },
    };
    expect(refuseCall(req, PORT, TOKEN)).toBeUndefined();
    // localhost is the same server too.
    const viaLocalhost = { ...req.headers, host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` };
    expect(refuseCall({ method: 'POST', headers: viaLocalhost }, PORT, TOKEN)).toBeUndefined();
  });

  it('accept a script: no Origin, no Sec-Fetch-*, JSON and the header', () => {
    expect(
      refuseCall({ method: 'POST', headers: { ...json, 'x-taskdeck-token': TOKEN } }, PORT, TOKEN),
    ).toBeUndefined();
  });

  it('refuse a page on another port of the same host (same-site is not same-origin)', () => {
    const headers = { ...json, 'x-taskdeck-token': TOKEN };
    expect(
      refuseCall({ method: 'POST', headers: { ...headers, origin: 'http://127.0.0.1:8080' } }, PORT, TOKEN),
    ).toMatchObject({ status: 403, code: 'FORBIDDEN', message: expect.stringContaining('127.0.0.1:8080') });
    expect(
      refuseCall({ method: 'POST', headers: { ...headers, origin: 'null' } }, PORT, TOKEN),
    ).toMatchObject({ status: 403 });
    for (const site of ['same-site', 'cross-site', 'none']) {
      expect(
        refuseCall({ method: 'POST', headers: { ...headers, 'sec-fetch-site': site } }, PORT, TOKEN),
      ).toMatchObject({ status: 403, message: expect.stringContaining(site) });
    }
  });

  it('refuse bodies a cross-origin page can send without a preflight', () => {
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      undefined,
    ]) {
      const headers = { ...OWN, 'x-taskdeck-token': TOKEN, ...(type ? { 'content-type': type } : {}) };
      expect(refuseCall({ method: 'POST', headers }, PORT, TOKEN)).toMatchObject({ status: 415 });
    }
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
    expect(isJsonContentType('application/jsonx')).toBe(false);
  });

  it('read the token from the header only, never a cookie or the query', () => {
    expect(
      refuseCall(
        { method: 'POST', headers: { ...json, cookie: `taskdeck_token_${PORT}=${TOKEN}` } },
        PORT,
        TOKEN,
      ),
    ).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(
      refuseCall({ method: 'POST', headers: { ...json, 'x-taskdeck-token': 'nope' } }, PORT, TOKEN),
    ).toMatchObject({
      status: 401,
    });
    expect(headerToken({ 'x-taskdeck-token': TOKEN })).toBe(TOKEN);
    expect(headerToken({ authorization: `Bearer ${TOKEN}` })).toBeUndefined();
  });

  it('refuse other methods and foreign Hosts (DNS rebinding)', () => {
    expect(
      refuseCall({ method: 'GET', headers: { ...json, 'x-taskdeck-token': TOKEN } }, PORT, TOKEN),
    ).toMatchObject({
      status: 405,
    });
    expect(
      refuseCall(
        { method: 'POST', headers: { ...json, host: 'evil.example', 'x-taskdeck-token': TOKEN } },
        PORT,
        TOKEN,
      ),
    ).toMatchObject({ status: 403, message: 'Host not allowed' });
  });

  it('without a token to check (the code exchange) still apply every other rule', () => {
    expect(refuseCall({ method: 'POST', headers: json }, PORT, undefined)).toBeUndefined();
    expect(
      refuseCall({ method: 'POST', headers: { ...json, 'sec-fetch-site': 'same-site' } }, PORT, undefined),
    ).toMatchObject({ status: 403 });
    expect(
      refuseCall({ method: 'POST', headers: { ...OWN, 'content-type': 'text/plain' } }, PORT, undefined),
    ).toMatchObject({ status: 415 });
  });
});

describe('WebSocket upgrades', () => {
  const offer = `taskdeck.v1, taskdeck.token.${TOKEN}`;

  it('take the token from the offered subprotocols only', () => {
    expect(socketProtocolToken({ 'sec-websocket-protocol': offer })).toBe(TOKEN);
    expect(socketProtocolToken({ 'sec-websocket-protocol': 'taskdeck.v1' })).toBeUndefined();
    expect(
      refuseUpgrade({ headers: { ...OWN, 'sec-websocket-protocol': offer } }, PORT, TOKEN),
    ).toBeUndefined();
    expect(
      refuseUpgrade({ headers: { ...OWN, cookie: `taskdeck_token_${PORT}=${TOKEN}` } }, PORT, TOKEN),
    ).toEqual({
      status: 401,
      reason: 'Unauthorized',
    });
  });

  it('refuse another origin even with the right token', () => {
    expect(
      refuseUpgrade(
        { headers: { ...OWN, origin: 'http://127.0.0.1:8080', 'sec-websocket-protocol': offer } },
        PORT,
        TOKEN,
      ),
    ).toEqual({ status: 403, reason: 'Forbidden' });
    expect(crossOriginReason({ origin: `http://127.0.0.1:${PORT}` }, PORT)).toBeUndefined();
  });
});

describe('TASKDECK_WEB_TOKEN', () => {
  it('is optional, must be long and header-safe, and is never echoed in the error', () => {
    expect(tokenFromEnv({})).toEqual({});
    expect(tokenFromEnv({ TASKDECK_WEB_TOKEN: TOKEN })).toEqual({ token: TOKEN });
    const short = tokenFromEnv({ TASKDECK_WEB_TOKEN: 'secret-but-short' });
    expect(short.error).toContain('TASKDECK_WEB_TOKEN must be 32');
    expect(short.error).not.toContain('secret-but-short');
    const spaced = tokenFromEnv({ TASKDECK_WEB_TOKEN: `${TOKEN} x` });
    expect(spaced.error).toBeDefined();
    expect(spaced.error).not.toContain(TOKEN);
  });
});
