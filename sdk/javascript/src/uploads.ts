import { SendsarError } from "./errors.js";
import type { FetchLike } from "./rest.js";

export type UploadBody = Blob | ArrayBuffer | Uint8Array;

export interface UploadProgress {
  loaded: number;
  total: number;
  /** 0…1 */
  fraction: number;
}

export interface UploadFileOptions {
  /** Defaults to the File's name. */
  filename?: string;
  /** Defaults to the Blob's type, else application/octet-stream. */
  mediaType?: string;
  roomId?: string;
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal;
}

export function sizeOf(body: UploadBody): number {
  return body instanceof Uint8Array || body instanceof ArrayBuffer ? body.byteLength : body.size;
}

/**
 * PUTs the bytes to a presigned URL. Browsers report byte progress through XMLHttpRequest; elsewhere fetch is
 * used and progress is reported at the start and at the end.
 */
export function putWithProgress(url: string, body: UploadBody, mediaType: string, fetchImpl: FetchLike,
                                options: UploadFileOptions): Promise<void> {
  const total = sizeOf(body);
  const report = (loaded: number) => options.onProgress?.({ loaded, total, fraction: total === 0 ? 1 : loaded / total });
  const XHR = (globalThis as { XMLHttpRequest?: typeof XMLHttpRequest }).XMLHttpRequest;
  if (XHR) {
    return new Promise((resolve, reject) => {
      const xhr = new XHR();
      xhr.open("PUT", url);
      xhr.setRequestHeader("content-type", mediaType);
      xhr.upload.onprogress = (event) => report(event.loaded);
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          report(total);
          resolve();
        } else {
          reject(new SendsarError({ code: "upload_failed", status: xhr.status, message: `Upload failed with HTTP ${xhr.status}` }));
        }
      };
      xhr.onerror = () => reject(new SendsarError({ code: "network_error", message: "The upload did not reach storage" }));
      xhr.onabort = () => reject(new SendsarError({ code: "aborted", message: "The upload was aborted" }));
      options.signal?.addEventListener("abort", () => xhr.abort());
      xhr.send(body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : body);
    });
  }
  report(0);
  return fetchImpl(url, {
    method: "PUT",
    headers: { "content-type": mediaType },
    body: body instanceof Uint8Array ? new Blob([body as Uint8Array<ArrayBuffer>]) : body,
    signal: options.signal,
  }).then(
    (response) => {
      if (!response.ok) {
        throw new SendsarError({ code: "upload_failed", status: response.status, message: `Upload failed with HTTP ${response.status}` });
      }
      report(total);
    },
    (cause: unknown) => {
      throw new SendsarError({
        code: options.signal?.aborted ? "aborted" : "network_error",
        message: options.signal?.aborted ? "The upload was aborted" : "The upload did not reach storage",
        cause,
      });
    },
  );
}
