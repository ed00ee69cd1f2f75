import { classifyStatus, unanswered, type AttemptOutcome, type OutboundRequest } from '@sightline/notifications';

/** Sends a request and classifies the outcome; never throws. */
export async function sendRequest(request: OutboundRequest, timeoutMs: number): Promise<AttemptOutcome> {
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const detail = response.ok ? '' : (await response.text().catch(() => '')).slice(0, 200);
    if (response.ok) await response.body?.cancel().catch(() => undefined);
    return classifyStatus(response.status, detail);
  } catch (error) {
    const err = error as Error & { cause?: { code?: string; message?: string } };
    if (err.name === 'TimeoutError') return unanswered(`no answer within ${timeoutMs} ms`);
    return unanswered(err.cause?.code ?? err.cause?.message ?? err.message);
  }
}
