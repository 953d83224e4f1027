/* prov_dot.c - the PROV document as a picture (SVG or JPEG), drawn by
 * graphviz's library from a DOT graph styled as the reference's library
 * styles provenance: yellow entities, blue activities, orange agents, a
 * note of attributes beside each element, relations with attributes
 * drawn through a small point carrying their own note. Attribute names of
 * issues are painted red so that troubled components stand out. */
#include "prov/doc.h"

#include <errno.h>
#include <graphviz/gvc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ISSUE_URI PR_CENTRAL_URL "vocab/#issue"
/* nodes beyond which the layout trades looks for time */
#define BIG_GRAPH 200
/* ... and beyond which it barely optimises the placement at all */
#define HUGE_GRAPH 1000
/* relations at one element beyond which a big graph repeats it */
#define HUB 3
/* the longest side of a JPEG, in pixels */
#define MAX_PIXELS 8000.0

struct dot {
	struct buf b;
	const struct pr_doc *d;
	struct arena *a;
	const char **ids; /* node name of element i, by record index */
	int *fanin;       /* relations pointing at element i */
	bool big, huge;
	int nodes, bnodes, notes;
};

/* A DOT double-quoted string. */
static void quoted(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* Text inside an HTML-like label, escaped as Python's html.escape. */
static void html(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '"':
			buf_puts(b, "&quot;");
			break;
		case '\'':
			buf_puts(b, "&#x27;");
			break;
		default:
			buf_putc(b, *s);
		}
	}
}

/* The note of a record's attributes, linked to node `to`. */
static void note(struct dot *g, const struct pr_record *r, const char *to)
{
	struct pr_formal f[5];
	int nf = pr_formals(r, f);
	struct pr_attr *rows =
	    arena_alloc(g->a, sizeof *rows * (size_t)(nf + r->nattrs + 1));
	int n = 0;
	for (int i = 0; i < nf; i++)
		if (f[i].value && f[i].time)
			rows[n++] =
			    (struct pr_attr){f[i].name, PV_TIME, f[i].value};
	int formal = n;
	memcpy(rows + n, r->attrs, sizeof *rows * (size_t)r->nattrs);
	n += r->nattrs;
	qsort(rows + formal, (size_t)(n - formal), sizeof *rows, pr_attr_order);
	if (!n)
		return;
	struct buf *b = &g->b;
	buf_printf(b,
	           "  ann%d [shape=note, color=gray, fontcolor=black, "
	           "fontsize=10, label=<<TABLE cellpadding=\"0\" "
	           "border=\"0\">",
	           ++g->notes);
	for (int i = 0; i < n; i++) {
		const char *uri = pr_expand(g->d, rows[i].name);
		buf_puts(b, "\n    <TR>\n        <TD align=\"left\" href=\"");
		html(b, uri ? uri : "");
		buf_putc(b, '"');
		if (uri && !strcmp(uri, ISSUE_URI))
			buf_puts(b, " bgcolor=\"red\"");
		buf_putc(b, '>');
		html(b, rows[i].name);
		buf_puts(b, "</TD>\n        <TD align=\"left\"");
		if (rows[i].type == PV_QNAME) {
			const char *v = pr_expand(g->d, rows[i].value);
			buf_puts(b, " href=\"");
			html(b, v ? v : "");
			buf_putc(b, '"');
		}
		buf_putc(b, '>');
		html(b, rows[i].value);
		buf_puts(b, "</TD>\n    </TR>");
	}
	buf_printf(b,
	           "\n    </TABLE>>];\n  ann%d -> %s [arrowhead=none, "
	           "style=dashed, color=gray];\n",
	           g->notes, to);
}

static const char *element_style(enum pr_kind k)
{
	switch (k) {
	case PR_ENTITY:
		return "shape=oval, style=filled, fillcolor=\"#FFFC87\", "
		       "color=\"#808080\"";
	case PR_ACTIVITY:
		return "shape=box, style=filled, fillcolor=\"#9FB1FC\", "
		       "color=\"#0000FF\"";
	default:
		return "shape=house, style=filled, fillcolor=\"#FED37F\"";
	}
}

/* A relation's edge style without its label. */
static const char *relation_style(enum pr_kind k)
{
	switch (k) {
	case PR_GENERATION:
		return "fontsize=10.0, color=darkgreen, fontcolor=darkgreen";
	case PR_USAGE:
		return "fontsize=10.0, color=red4, fontcolor=red";
	case PR_ATTRIBUTION:
		return "fontsize=10.0, color=\"#FED37F\"";
	default:
		return "fontsize=10.0";
	}
}

/* A node statement for the element record r. */
static void element_node(struct dot *g, const char *name,
                         const struct pr_record *r)
{
	const char *uri = pr_expand(g->d, r->id);
	buf_printf(&g->b, "  %s [%s, URL=", name, element_style(r->kind));
	quoted(&g->b, uri ? uri : r->id);
	buf_puts(&g->b, ", label=");
	quoted(&g->b, r->id);
	buf_puts(&g->b, "];\n");
}

/* The node of an element id, a grey one for an id no element states. In
 * a big graph an element many relations point at (the script every run
 * used, the user who ran them all) is drawn again at each: edges spanning
 * the whole picture make the layout take minutes. */
static const char *node_of(struct dot *g, const char *id, bool target)
{
	int at = pr_find(g->d, id);
	if (at >= 0 && g->ids[at] && target && g->big && g->fanin[at] > HUB) {
		const char *name = arena_printf(g->a, "n%d", ++g->nodes);
		element_node(g, name, &g->d->recs[at]);
		return name;
	}
	if (at >= 0 && g->ids[at])
		return g->ids[at];
	const char *name = arena_printf(g->a, "n%d", ++g->nodes);
	buf_printf(&g->b,
	           "  %s [shape=oval, style=filled, "
	           "fillcolor=lightgray, color=dimgray, label=",
	           name);
	quoted(&g->b, id);
	buf_puts(&g->b, "];\n");
	return name;
}

static void draw_relation(struct dot *g, const struct pr_record *r)
{
	struct buf *b = &g->b;
	const char *from = node_of(g, r->a, false),
	           *to = node_of(g, r->b, true);
	const char *label = pr_kind_name(r->kind);
	const char *style = relation_style(r->kind);
	/* starts and derivations have more than two element arguments */
	bool nary = r->kind == PR_START || r->kind == PR_DERIVATION;
	bool extra = r->nattrs > 0 || (r->kind == PR_START && r->time);
	if (!nary && !extra) {
		buf_printf(b, "  %s -> %s [label=\"%s\", %s];\n", from, to,
		           label, style);
		return;
	}
	const char *bn = arena_printf(g->a, "b%d", ++g->bnodes);
	buf_printf(b, "  %s [label=\"\", shape=point, color=gray];\n", bn);
	buf_printf(b, "  %s -> %s [arrowhead=none, label=\"%s\", %s];\n", from,
	           bn, label, style);
	buf_printf(b, "  %s -> %s [%s];\n", bn, to, style);
	if (extra)
		note(g, r, bn);
}

/* DOT text -> picture bytes (malloc'd); NULL when graphviz fails. */
static char *draw(const char *dot, const char *format, size_t *len)
{
	GVC_t *gvc = gvContext();
	if (!gvc)
		return NULL;
	Agraph_t *graph = agmemread(dot);
	char *out = NULL, *data = NULL;
	unsigned int n = 0;
	if (graph && gvLayout(gvc, graph, "dot") == 0) {
		if (gvRenderData(gvc, graph, format, &data, &n) == 0 && data) {
			out = malloc(n ? n : 1);
			if (out) {
				memcpy(out, data, n);
				*len = n;
			}
		}
		gvFreeRenderData(data);
		gvFreeLayout(gvc, graph);
	}
	if (graph)
		agclose(graph);
	return out;
}

static bool write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

/* The picture is drawn in a child process. Graphviz loads its plugins
 * (cairo, pango, glib and the rest) on first use, and they would stay in
 * the worker for good: 18-24 MiB resident after one picture, against some
 * 6 MiB otherwise. The child writes the picture's length and bytes to a
 * pipe and exits; a short read means it failed. */
static char *render(struct arena *a, const char *dot, const char *format,
                    size_t *len)
{
	int fd[2];
	if (pipe(fd) < 0)
		return NULL;
	pid_t pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	if (pid == 0) {
		close(fd[0]);
		size_t n = 0;
		char *out = draw(dot, format, &n);
		bool ok = out && write_all(fd[1], &n, sizeof n) &&
		          write_all(fd[1], out, n);
		_exit(ok ? 0
		         : 1); /* no atexit handlers: they are the worker's */
	}
	close(fd[1]);
	struct buf b;
	buf_init(&b, a);
	char chunk[16384];
	for (;;) {
		ssize_t r = read(fd[0], chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		buf_add(&b, chunk, (size_t)r);
	}
	close(fd[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	size_t n;
	if (b.len < sizeof n)
		return NULL;
	memcpy(&n, b.p, sizeof n);
	if (b.len - sizeof n != n)
		return NULL;
	*len = n;
	return b.p + sizeof n;
}

void prov_write_picture(struct request *rq, const struct pr_doc *d,
                        const char *format, double aspect_ratio, double dpi,
                        bool show_attributes)
{
	struct dot g = {.d = d, .a = rq->a};
	g.ids = arena_alloc(rq->a, sizeof *g.ids * (size_t)(d->n + 1));
	g.fanin = arena_alloc(rq->a, sizeof *g.fanin * (size_t)(d->n + 1));
	int elements = 0;
	for (int i = 0; i < d->n; i++) {
		if (pr_is_element(d->recs[i].kind)) {
			elements++;
			continue;
		}
		int at = pr_find(d, d->recs[i].b);
		if (at >= 0)
			g.fanin[at]++;
	}
	/* every element has its note, every relation at most a point */
	g.big = 2 * elements + d->n > BIG_GRAPH;
	g.huge = 2 * elements + d->n > HUGE_GRAPH;
	struct buf *b = &g.b;
	buf_init(b, rq->a);
	for (int i = 0; i < d->n; i++) {
		const struct pr_record *r = &d->recs[i];
		if (!pr_is_element(r->kind))
			continue;
		if (pr_find(d, r->id) != i) /* one node per id */
			continue;
		g.ids[i] = arena_printf(rq->a, "n%d", ++g.nodes);
		element_node(&g, g.ids[i], r);
		if (show_attributes)
			note(&g, r, g.ids[i]);
	}
	for (int i = 0; i < d->n; i++)
		if (!pr_is_element(d->recs[i].kind))
			draw_relation(&g, &d->recs[i]);
	buf_puts(b, "}\n");

	struct buf dot;
	buf_init(&dot, rq->a);
	buf_printf(&dot,
	           "digraph G {\n  charset=\"utf-8\";\n  rankdir=BT;\n"
	           "  ratio=%g;\n",
	           aspect_ratio);
	if (dpi > 0)
		buf_printf(&dot, "  dpi=%g;\n", dpi);
	/* a bitmap of a deep graph stretched to the ratio would take
	 * gigabytes: no side beyond MAX_PIXELS */
	if (!strcmp(format, "jpg"))
		buf_printf(&dot, "  size=\"%g,%g\";\n",
		           MAX_PIXELS / (dpi > 0 ? dpi : 96.0),
		           MAX_PIXELS / (dpi > 0 ? dpi : 96.0));
	/* Laying out thousands of nodes the careful way takes minutes: a
	 * big graph is drawn with straight edges and short searches. */
	if (g.big)
		buf_printf(&dot,
		           "  splines=line;\n  mclimit=0.1;\n  searchsize=10;\n"
		           "  nslimit=%s;\n  nslimit1=%s;\n",
		           g.huge ? "0.001" : "1", g.huge ? "0.001" : "1");
	buf_add(&dot, b->p, b->len);

	size_t len = 0;
	char *pic = render(rq->a, dot.p, format, &len);
	if (!pic) {
		resp_detail(rq, 500, "Internal server error.");
		return;
	}
	resp_text(rq, 200,
	          !strcmp(format, "jpg") ? "image/jpeg" : "image/svg+xml", pic,
	          len);
}
