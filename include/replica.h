/* replica.h - reads from a streaming replica, writes to the primary, and a
 * client that reads its own writes. */
#ifndef REPLICA_H
#define REPLICA_H

#include "request.h"

/* The replica connection rq should read from, or NULL for the primary:
 * no replica set, not a read, the replica down, lagging past
 * replica_max_lag or no replica at all, or the last write of this
 * token or of this client address not replayed there within a short
 * wait. When the primary is unreachable a
 * reachable replica is used whatever its lag. */
struct db *replica_for(struct request *rq, struct db *primary);

/* After a write answered with success: remember the primary's WAL
 * position for rq's token and its client address, so that the next read
 * with either waits for the replica to replay it (or goes to the
 * primary). */
void replica_wrote(struct request *rq, struct db *primary);

/* The replica went away under a request: the primary answers until the
 * next look at it. */
void replica_lost(void);

/* Whether rq only reads. */
bool replica_is_read(const struct request *rq);

#endif
