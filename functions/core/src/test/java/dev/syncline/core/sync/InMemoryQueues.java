package dev.syncline.core.sync;

import dev.syncline.core.delivery.ChunkQueue;
import dev.syncline.core.delivery.ChunkRef;
import dev.syncline.core.delivery.ChunkWork;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The control and work queues in memory: what was sent, in order, and what the test says waits in the work queue.
 * The control queue can be told to fail its next sends, as SQS does when it is unavailable.
 */
public final class InMemoryQueues {

    private final List<UUID> prepared = new ArrayList<>();
    private final List<ChunkRef> sent = new ArrayList<>();
    private final List<ChunkWork> handedOn = new ArrayList<>();
    private int prepareFailures;
    private int prepareAttempts;
    private long waiting;

    public final ControlQueue control = new ControlQueue() {
        @Override
        public void prepare(UUID runId) {
            synchronized (InMemoryQueues.this) {
                prepareAttempts++;
                if (prepareFailures > 0) {
                    prepareFailures--;
                    throw new IllegalStateException("the control queue is unavailable");
                }
                prepared.add(runId);
            }
        }

        @Override
        public void fetchFile(UUID runId) {
            // The file step sends these (FileService), never the engine these fakes drive.
            throw new UnsupportedOperationException("no file fetch in the engine's tests");
        }
    };

    public final ChunkQueue work = new ChunkQueue() {
        @Override
        public void send(List<ChunkRef> chunks) {
            synchronized (InMemoryQueues.this) {
                sent.addAll(chunks);
            }
        }

        @Override
        public void handOn(ChunkWork next) {
            synchronized (InMemoryQueues.this) {
                handedOn.add(next);
            }
        }

        @Override
        public long waiting() {
            synchronized (InMemoryQueues.this) {
                return waiting;
            }
        }
    };

    /** The next passes handed on, in order. */
    public synchronized List<ChunkWork> handedOn() {
        return List.copyOf(handedOn);
    }

    /** The prepare messages sent, in order. */
    public synchronized List<UUID> prepared() {
        return List.copyOf(prepared);
    }

    /** Every chunk message sent, in order. */
    public synchronized List<ChunkRef> sent() {
        return List.copyOf(sent);
    }

    /** Takes the chunk messages sent so far, as workers would. */
    public synchronized List<ChunkRef> take() {
        List<ChunkRef> taken = List.copyOf(sent);
        sent.clear();
        return taken;
    }

    public synchronized void failNextPrepares(int count) {
        prepareFailures = count;
    }

    public synchronized int prepareAttempts() {
        return prepareAttempts;
    }

    /** What {@link ChunkQueue#waiting()} answers: messages of other installations queued ahead. */
    public synchronized void waiting(long messages) {
        waiting = messages;
    }
}
