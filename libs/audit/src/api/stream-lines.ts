import type { Response } from 'express';

/** Sends JSON Lines as an attachment, waiting for the socket to drain so memory does not grow with the bundle. */
export const streamLines = async (res: Response, lines: AsyncIterable<string>, filename: string): Promise<void> => {
  res.status(200).setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  try {
    for await (const line of lines) {
      if (!res.write(`${line}\n`)) await new Promise((drained) => res.once('drain', drained));
    }
  } finally {
    res.end();
  }
};
