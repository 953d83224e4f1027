/* allow.h - address allow-lists ("127.0.0.1 10.0.0.0/8 ::1"): who may
 * connect to a TCP listener, who may read /metrics. */
#ifndef ALLOW_H
#define ALLOW_H

#include <stdbool.h>
#include <sys/socket.h>

/* True when the textual address addr matches an entry of list. An
 * IPv4-mapped IPv6 address counts as its IPv4 address. */
bool allow_text(const char *list, const char *addr);
bool allow_sockaddr(const char *list, const struct sockaddr *sa);
/* False (with the bad entry in *bad) if an entry is no address. */
bool allow_valid(const char *list, const char **bad);

#endif
