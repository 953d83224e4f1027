/* mime.c - the Content-Type a file's name implies, for files the registry
 * serves (file:// aliases, /data/<sha1>): the table of Python's mimetypes
 * module without the system's files (Python 3.11), which the reference's
 * FileResponse uses, with its mapping of compressed files (.gz is
 * application/gzip, .bz2 application/x-bzip, .xz application/x-xz).
 * Generated once from Python; kept sorted for bsearch. */
#include "mime.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct mime {
	const char *ext; /* without the dot */
	const char *type;
};

static const struct mime table[] = {
    {"3g2", "audio/3gpp2"},
    {"3gp", "audio/3gpp"},
    {"3gpp", "audio/3gpp"},
    {"3gpp2", "audio/3gpp2"},
    {"a", "application/octet-stream"},
    {"aac", "audio/aac"},
    {"adts", "audio/aac"},
    {"ai", "application/postscript"},
    {"aif", "audio/x-aiff"},
    {"aifc", "audio/x-aiff"},
    {"aiff", "audio/x-aiff"},
    {"ass", "audio/aac"},
    {"au", "audio/basic"},
    {"avi", "video/x-msvideo"},
    {"avif", "image/avif"},
    {"bat", "text/plain"},
    {"bcpio", "application/x-bcpio"},
    {"bin", "application/octet-stream"},
    {"bmp", "image/bmp"},
    {"bz2", "application/x-bzip"},
    {"c", "text/plain"},
    {"cdf", "application/x-netcdf"},
    {"cpio", "application/x-cpio"},
    {"csh", "application/x-csh"},
    {"css", "text/css"},
    {"csv", "text/csv"},
    {"dll", "application/octet-stream"},
    {"doc", "application/msword"},
    {"dot", "application/msword"},
    {"dvi", "application/x-dvi"},
    {"eml", "message/rfc822"},
    {"eps", "application/postscript"},
    {"etx", "text/x-setext"},
    {"exe", "application/octet-stream"},
    {"gif", "image/gif"},
    {"gtar", "application/x-gtar"},
    {"gz", "application/gzip"},
    {"h", "text/plain"},
    {"h5", "application/x-hdf5"},
    {"hdf", "application/x-hdf"},
    {"heic", "image/heic"},
    {"heif", "image/heif"},
    {"htm", "text/html"},
    {"html", "text/html"},
    {"ico", "image/vnd.microsoft.icon"},
    {"ief", "image/ief"},
    {"jpe", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"jpg", "image/jpeg"},
    {"js", "application/javascript"},
    {"json", "application/json"},
    {"ksh", "text/plain"},
    {"latex", "application/x-latex"},
    {"loas", "audio/aac"},
    {"m1v", "video/mpeg"},
    {"m3u", "application/vnd.apple.mpegurl"},
    {"m3u8", "application/vnd.apple.mpegurl"},
    {"man", "application/x-troff-man"},
    {"me", "application/x-troff-me"},
    {"mht", "message/rfc822"},
    {"mhtml", "message/rfc822"},
    {"mif", "application/x-mif"},
    {"mjs", "application/javascript"},
    {"mov", "video/quicktime"},
    {"movie", "video/x-sgi-movie"},
    {"mp2", "audio/mpeg"},
    {"mp3", "audio/mpeg"},
    {"mp4", "video/mp4"},
    {"mpa", "video/mpeg"},
    {"mpe", "video/mpeg"},
    {"mpeg", "video/mpeg"},
    {"mpg", "video/mpeg"},
    {"ms", "application/x-troff-ms"},
    {"n3", "text/n3"},
    {"nc", "application/x-netcdf"},
    {"nq", "application/n-quads"},
    {"nt", "application/n-triples"},
    {"nws", "message/rfc822"},
    {"o", "application/octet-stream"},
    {"obj", "application/octet-stream"},
    {"oda", "application/oda"},
    {"opus", "audio/opus"},
    {"p12", "application/x-pkcs12"},
    {"p7c", "application/pkcs7-mime"},
    {"pbm", "image/x-portable-bitmap"},
    {"pdf", "application/pdf"},
    {"pfx", "application/x-pkcs12"},
    {"pgm", "image/x-portable-graymap"},
    {"pl", "text/plain"},
    {"png", "image/png"},
    {"pnm", "image/x-portable-anymap"},
    {"pot", "application/vnd.ms-powerpoint"},
    {"ppa", "application/vnd.ms-powerpoint"},
    {"ppm", "image/x-portable-pixmap"},
    {"pps", "application/vnd.ms-powerpoint"},
    {"ppt", "application/vnd.ms-powerpoint"},
    {"ps", "application/postscript"},
    {"pwz", "application/vnd.ms-powerpoint"},
    {"py", "text/x-python"},
    {"pyc", "application/x-python-code"},
    {"pyo", "application/x-python-code"},
    {"qt", "video/quicktime"},
    {"ra", "audio/x-pn-realaudio"},
    {"ram", "application/x-pn-realaudio"},
    {"ras", "image/x-cmu-raster"},
    {"rdf", "application/xml"},
    {"rgb", "image/x-rgb"},
    {"roff", "application/x-troff"},
    {"rtx", "text/richtext"},
    {"sgm", "text/x-sgml"},
    {"sgml", "text/x-sgml"},
    {"sh", "application/x-sh"},
    {"shar", "application/x-shar"},
    {"snd", "audio/basic"},
    {"so", "application/octet-stream"},
    {"src", "application/x-wais-source"},
    {"srt", "text/plain"},
    {"sv4cpio", "application/x-sv4cpio"},
    {"sv4crc", "application/x-sv4crc"},
    {"svg", "image/svg+xml"},
    {"svgz", "application/gzip"},
    {"swf", "application/x-shockwave-flash"},
    {"t", "application/x-troff"},
    {"tar", "application/x-tar"},
    {"taz", "application/gzip"},
    {"tbz2", "application/x-bzip"},
    {"tcl", "application/x-tcl"},
    {"tex", "application/x-tex"},
    {"texi", "application/x-texinfo"},
    {"texinfo", "application/x-texinfo"},
    {"tgz", "application/gzip"},
    {"tif", "image/tiff"},
    {"tiff", "image/tiff"},
    {"tr", "application/x-troff"},
    {"trig", "application/trig"},
    {"tsv", "text/tab-separated-values"},
    {"txt", "text/plain"},
    {"txz", "application/x-xz"},
    {"tz", "application/gzip"},
    {"ustar", "application/x-ustar"},
    {"vcf", "text/x-vcard"},
    {"vtt", "text/vtt"},
    {"wasm", "application/wasm"},
    {"wav", "audio/x-wav"},
    {"webm", "video/webm"},
    {"webmanifest", "application/manifest+json"},
    {"wiz", "application/msword"},
    {"wsdl", "application/xml"},
    {"xbm", "image/x-xbitmap"},
    {"xlb", "application/vnd.ms-excel"},
    {"xls", "application/vnd.ms-excel"},
    {"xml", "text/xml"},
    {"xpdl", "application/xml"},
    {"xpm", "image/x-xpixmap"},
    {"xsl", "application/xml"},
    {"xwd", "image/x-xwindowdump"},
    {"xz", "application/x-xz"},
    {"zip", "application/zip"},
};

static int by_ext(const void *k, const void *e)
{
	return strcmp(k, ((const struct mime *)e)->ext);
}

static const char *lookup(const char *ext)
{
	const struct mime *m = bsearch(ext, table, sizeof table / sizeof *table,
	                               sizeof *table, by_ext);
	return m ? m->type : NULL;
}

const char *mime_type_for(const char *name)
{
	const char *slash = name ? strrchr(name, '/') : NULL;
	const char *base = slash ? slash + 1 : name;
	const char *dot = base ? strrchr(base, '.') : NULL;
	if (!dot || !dot[1] || strlen(dot + 1) >= 16)
		return MIME_DEFAULT;
	/* as Python: the extension as it is, then in lower case */
	const char *t = lookup(dot + 1);
	if (!t) {
		char low[16];
		size_t i = 0;
		for (const char *p = dot + 1; *p; p++)
			low[i++] =
			    (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		low[i] = 0;
		t = lookup(low);
	}
	return t ? t : MIME_DEFAULT;
}
