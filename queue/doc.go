// Package queue runs sweep studies and Monte Carlo jobs across machines on
// NATS JetStream.
//
// A coordinator (Submit, then Collect) stores the study's files in a
// key-value bucket and enqueues one message per chunk on a work-queue
// stream; workers (Worker.Run) pull chunks, run them and publish each
// chunk's tally on a partials stream before acknowledging the chunk.
// Delivery is at least once: a chunk not acknowledged within the ack wait
// (its worker died) is delivered again, and the coordinator counts each
// chunk once, so the merged result is the single-process result byte for
// byte.
//
// Monte Carlo jobs (SubmitMC, then CollectMC) go the same way, one chunk
// per range of runs, but a range's partial (mc.Partial, megabytes) is put
// in the object store MCBucket and only a small completion message is
// published; the coordinator combines the partials with mc.Combine into
// mc.Run's result. Embedded starts an in-process NATS server for one machine and
// tests.
package queue
