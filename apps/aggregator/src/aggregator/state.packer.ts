// Packs a conversation's state into the bytes of its changelog record (the aggregator-state Avro
// body, without registry framing), held as a latin1 string: one flat V8 string of one byte per
// Avro byte, instead of a tree of small objects, boxed doubles and strings (about 2x the size; see
// README "Memory"). A latin1 string rather than a Buffer: no off-heap backing store, no pooled slab
// pinned by a small slice, no per-buffer bookkeeping.
import { type ConversationState } from '@crm/aggregation';
import { schemaOf } from '@crm/contracts';
import avro from 'avsc';

export class StatePacker {
  private readonly type = avro.Type.forSchema(schemaOf('aggregator-state', 'value') as avro.Schema);

  pack(state: ConversationState): string {
    return this.type.toBuffer(state).toString('latin1');
  }

  /**
   * The decoder's objects are used as they are (the state type mirrors the record field for field,
   * see toStateRecord): an unpacked state lives only until its partition's next commit, so copying
   * it into plain literals (fromStateRecord) would cost time on every record for nothing.
   */
  unpack(packed: string): ConversationState {
    return this.type.fromBuffer(Buffer.from(packed, 'latin1')) as ConversationState;
  }
}
