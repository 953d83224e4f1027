/* store.h - the registry's own object store, in place of the reference's
 * S3 bucket: signed upload URLs, uploads that nginx writes to disk, and
 * downloads that nginx sends. Files are named by their SHA-1. */
#ifndef STORE_H
#define STORE_H

#include "request.h"

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/* POST /api/data/<checksum> and POST /api/data {"checksum": ...}: an upload
 * URL, or 409 when the store already holds that file. */
void store_upload_url(struct request *rq, const char *rest);

/* /data/upload/<sha1>?expires=&signature=: first nginx's question whether
 * to take the body (rq->upload_check), then the PUT with the body in
 * rq->body_file; with no nginx in front (Apache, CGI), the PUT with the
 * body still unread (rq->body_in), written to a file here. */
void store_upload(struct request *rq, const char *rest);

/* GET /data/<sha1>: the stored file, sent by nginx. */
void store_download(struct request *rq, const char *rest);

/* `registry data-root URL`: makes URL the storage root that stands for the
 * stored files (a remote registry's root 1, which the fair CLI's push
 * points storage locations at). */
int store_data_root_command(PGconn *c, const char *url);

/* ---- exposed for the unit tests ---- */

/* 40 lower-case hexadecimal digits. */
bool store_is_sha1(const char *s);

/* HMAC-SHA256 of "<sha1>:<expires>" under key, as 64 hex digits. */
void store_sign(const unsigned char *key, size_t key_len, const char *sha1,
                long long expires, char out[65]);

#endif
