import { ChunkBatcher, type ChunkBatch, type ChunkStream } from './chunkBatcher';
import { ChunkFlow } from './chunkFlow';
import { ChunkPacer } from './chunkPacer';

/** How an answer's chunks go to the panel: paced to its frames, flow control alone, or batched by the clock (the settings). */
export function chooseChunkStream(settings: { flowControl: boolean; framePacing: boolean }, post: (batch: ChunkBatch, ack: boolean) => void): ChunkStream {
  if (!settings.flowControl) return new ChunkBatcher((batch) => post(batch, false));
  return settings.framePacing ? new ChunkPacer(post) : new ChunkFlow(post);
}
