/** An HTTP request to send, as data: what a channel makes of a notification. Always a POST. */
export interface OutboundRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes to send (what a signature covers). */
  readonly body: string;
}
