/* cgi.h - one request answered as a CGI program (src/cgi.c). */
#ifndef CGI_H
#define CGI_H

#include <stdbool.h>

/* Started by a web server as a CGI program (GATEWAY_INTERFACE=CGI/1.x). */
bool cgi_detect(void);

/* Answers the one request in the environment and on stdin; the exit code. */
int cgi_main(void);

#endif
