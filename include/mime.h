/* mime.h - Content-Types from file names (src/mime.c). */
#ifndef MIME_H
#define MIME_H

#define MIME_DEFAULT "application/octet-stream"

/* The type a file name's extension implies (the last one, as Python's
 * mimetypes reads it), else MIME_DEFAULT. */
const char *mime_type_for(const char *name);

#endif
