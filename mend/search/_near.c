/* The hot loop of a place search in C: the rows of the search file's grid cells that lie
 * in a circle, each with its squared distance (mend.search.nearby.located_in_python is
 * the same loop in Python, and the reference: tests compare the two, bit for bit).
 *
 * Why C: every row of the cells that cover a search's box goes through this loop (a few
 * thousand at a million entries), and in Python it was the largest single cost of a
 * search (docs/performance.md). Built by `make setup` (mend/search/build_near.py) with
 * -ffp-contract=off, so that no fused multiply-add changes a distance's last bit: the
 * SQL, the Python loop and this one compute the same doubles.
 *
 * Also the API page's documents (searchfile.SearchFile.documents_in_python is the
 * reference): a row lookup and a slice for each of a page's 20 entries; and the page of
 * a search by distance (memory._nearest_in_python is the reference): the page's last
 * distance found, the rows no farther sorted by (distance, name, id).
 *
 * It reads only: the file's mapped sections are read-only buffers.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* A buffer of one item type (its struct format character and size). */
static int
view_of(PyObject *obj, Py_buffer *view, char format, Py_ssize_t itemsize, const char *name)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) {
        return -1;
    }
    const char *f = view->format ? view->format : "B";
    if (f[0] == '@' || f[0] == '=' || f[0] == '<') {
        f++;
    }
    if (view->itemsize != itemsize || f[0] != format || f[1] != '\0') {
        PyErr_Format(PyExc_TypeError, "%s: expected items of format '%c'", name, format);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* Buffers of the given item types, in order: the number taken, or -1 (with an exception,
 * and none of them held). */
static int
take_views(Py_buffer *views, PyObject *const *objs, const char *formats,
           const Py_ssize_t *sizes, const char *const *names, int count)
{
    for (int n = 0; n < count; n++) {
        if (view_of(objs[n], &views[n], formats[n], sizes[n], names[n]) < 0) {
            while (n-- > 0) {
                PyBuffer_Release(&views[n]);
            }
            return -1;
        }
    }
    return count;
}

static void
release_views(Py_buffer *views, int count)
{
    for (int n = 0; n < count; n++) {
        PyBuffer_Release(&views[n]);
    }
}

/* The first index of keys (sorted, ascending) whose key is >= key. */
static Py_ssize_t
lower_bound(const int64_t *keys, Py_ssize_t n, int64_t key)
{
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* The first index of keys (ascending) at or after from whose key is >= key, given that
 * every key before from is smaller: a gallop forward from from, then a bisection inside
 * the last step. An answer near from costs a cache line or two instead of a bisection's
 * twenty jumps across the whole array. */
static Py_ssize_t
gallop(const int64_t *keys, Py_ssize_t n, Py_ssize_t from, int64_t key)
{
    Py_ssize_t lo = from, hi = from, step = 1;
    while (hi < n && keys[hi] < key) {
        lo = hi + 1;
        hi = from + step;
        step *= 2;
    }
    hi = hi > n ? n : hi;
    return lo + lower_bound(keys + lo, hi - lo, key);
}

/* The first index of pk (ascending, nearly dense: autoincrement ids) whose id is >= id:
 * a guess in proportion to the ids, a gallop from it to a window that holds the answer,
 * and a bisection inside it. Two or three cache lines a lookup instead of a bisection's
 * twenty jumps across the column. */
static Py_ssize_t
row_of(const int64_t *pk, Py_ssize_t n, int64_t id)
{
    if (n == 0 || id <= pk[0]) {
        return 0;
    }
    if (id > pk[n - 1]) {
        return n;
    }
    /* In doubles: a difference of two int64 could overflow (undefined in C). */
    double share = ((double)id - (double)pk[0]) / ((double)pk[n - 1] - (double)pk[0]);
    Py_ssize_t guess = (Py_ssize_t)(share * (double)(n - 1));
    guess = guess < 0 ? 0 : (guess > n - 1 ? n - 1 : guess);
    if (pk[guess] < id) { /* the answer is after guess */
        return gallop(pk, n, guess + 1, id);
    }
    /* The answer is at guess or before it: in [0, guess]. */
    Py_ssize_t hi = guess, lo = guess - 1, step = 1;
    while (lo >= 0 && pk[lo] >= id) {
        hi = lo;
        lo = guess - (step *= 2);
    }
    lo = lo < 0 ? 0 : lo + 1;
    return lo + lower_bound(pk + lo, hi - lo, id);
}

/* The rows found in the circle and their squared distances, growing as they come. */
typedef struct {
    int32_t *rows;
    double *d2;
    Py_ssize_t count, capacity;
} Inside;

static int
add_row(Inside *in, int32_t row, double d2)
{
    if (in->count == in->capacity) {
        Py_ssize_t capacity = in->capacity ? in->capacity * 2 : 256;
        int32_t *rows = PyMem_Resize(in->rows, int32_t, capacity);
        if (rows != NULL) {
            in->rows = rows;
        }
        double *d = rows ? PyMem_Resize(in->d2, double, capacity) : NULL;
        if (d == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        in->d2 = d;
        in->capacity = capacity;
    }
    in->rows[in->count] = row;
    in->d2[in->count++] = d2;
    return 0;
}

/* Add the rows of one cell list that lie in the circle; 0, or -1 with an exception. */
static int
add_inside(Inside *in, const int32_t *members, Py_ssize_t start, Py_ssize_t end,
           const double *points, Py_ssize_t rows, const double *box, const double *circle)
{
    const double south = box[0], north = box[1], west = box[2], east = box[3];
    const double centre_lat = circle[0], centre_lng = circle[1];
    const double km_lat = circle[2], km_lng = circle[3], limit = circle[4];
    for (Py_ssize_t m = start; m < end; m++) {
        int32_t i = members[m];
        if (i < 0 || i >= rows) {
            PyErr_SetString(PyExc_ValueError, "a cell lists a row the file does not have");
            return -1;
        }
        /* The member's own copy of its row's position: read in order with the list. */
        double latitude = points[2 * m];
        if (latitude < south || latitude > north) {
            continue;
        }
        double longitude = points[2 * m + 1];
        if (longitude < west || longitude > east) {
            continue;
        }
        double dy = (latitude - centre_lat) * km_lat;
        double dx = (longitude - centre_lng) * km_lng;
        double d2 = dy * dy + dx * dx;
        if (d2 <= limit && add_row(in, i, d2) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
found_documents(PyObject *ids, const int64_t *pk, Py_ssize_t rows, const int64_t *starts,
                const char *blob, Py_ssize_t blob_len)
{
    Py_ssize_t count = PySequence_Fast_GET_SIZE(ids);
    PyObject *found = PyList_New(count);
    if (found == NULL) {
        return NULL;
    }
    for (Py_ssize_t n = 0; n < count; n++) {
        long long id = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(ids, n));
        if (id == -1 && PyErr_Occurred()) {
            Py_DECREF(found);
            return NULL;
        }
        Py_ssize_t k = row_of(pk, rows, (int64_t)id);
        PyObject *body = Py_None;
        if (k < rows && pk[k] == id && starts[k + 1] > starts[k]) {
            int64_t start = starts[k], end = starts[k + 1];
            if (start < 0 || end > blob_len) {
                PyErr_SetString(PyExc_ValueError, "a document lies outside the blob");
                Py_DECREF(found);
                return NULL;
            }
            body = PyUnicode_DecodeUTF8(blob + start, (Py_ssize_t)(end - start), "strict");
            if (body == NULL) {
                Py_DECREF(found);
                return NULL;
            }
        } else {
            Py_INCREF(body);
        }
        PyList_SET_ITEM(found, n, body);
    }
    return found;
}

enum { KEYS, STARTS, MEMBERS, POINTS, CELL_SECTIONS };

/* The cells' sections (keys, starts, members, points), or -1: their lengths must agree. */
static int
take_cells(Py_buffer *v, PyObject *const *objs)
{
    static const char formats[] = {'q', 'q', 'i', 'd'};
    static const Py_ssize_t sizes[] = {8, 8, 4, 8};
    static const char *const names[] = {"keys", "starts", "members", "points"};
    if (take_views(v, objs, formats, sizes, names, CELL_SECTIONS) < 0) {
        return -1;
    }
    if (v[STARTS].len / 8 != v[KEYS].len / 8 + 1 || v[POINTS].len / 16 != v[MEMBERS].len / 4) {
        PyErr_SetString(PyExc_ValueError, "the sections' lengths do not agree");
        release_views(v, CELL_SECTIONS);
        return -1;
    }
    return 0;
}

static int
read_doubles(PyObject *seq, double *out, Py_ssize_t count, const char *name)
{
    PyObject *fast = PySequence_Fast(seq, name);
    if (fast == NULL) {
        return -1;
    }
    if (PySequence_Fast_GET_SIZE(fast) != count) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd numbers", name, count);
        Py_DECREF(fast);
        return -1;
    }
    for (Py_ssize_t n = 0; n < count; n++) {
        out[n] = PyFloat_AsDouble(PySequence_Fast_GET_ITEM(fast, n));
        if (out[n] == -1.0 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return -1;
        }
    }
    Py_DECREF(fast);
    return 0;
}

/* For each wanted cell key (in order) that the file has, the rows of its list that lie in
 * the circle: (rows, squared distances) as the bytes of two arrays, of C ints and of
 * doubles (no Python object for each row: nearby wraps them in array.array), in the order
 * the lists give them. A row listed under two of the wanted keys is there twice
 * (nearby._located keeps one). */
static PyObject *
located(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *objs[CELL_SECTIONS], *wanted, *box_seq, *circle_seq;
    Py_ssize_t rows;
    if (!PyArg_ParseTuple(args, "OOOOnOOO:located", &objs[0], &objs[1], &objs[2], &objs[3],
                          &rows, &wanted, &box_seq, &circle_seq)) {
        return NULL;
    }
    double box[4], circle[5];
    if (read_doubles(box_seq, box, 4, "box") < 0 ||
        read_doubles(circle_seq, circle, 5, "circle") < 0) {
        return NULL;
    }
    PyObject *wanted_keys = PySequence_Fast(wanted, "wanted: a sequence of cell keys");
    if (wanted_keys == NULL) {
        return NULL;
    }
    Py_buffer v[CELL_SECTIONS];
    if (take_cells(v, objs) < 0) {
        Py_DECREF(wanted_keys);
        return NULL;
    }
    Inside in = {NULL, NULL, 0, 0};
    int failed = 0;
    const int64_t *keys = v[KEYS].buf, *starts = v[STARTS].buf;
    Py_ssize_t key_count = v[KEYS].len / 8, members_count = v[MEMBERS].len / 4;
    /* The wanted keys come in ascending order (cell row, cell column, slot): each is
     * looked for from where the last was found, a few cache lines further on. */
    Py_ssize_t k = 0;
    int64_t last = INT64_MIN;
    for (Py_ssize_t w = 0; !failed && w < PySequence_Fast_GET_SIZE(wanted_keys); w++) {
        long long key = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(wanted_keys, w));
        if (key == -1 && PyErr_Occurred()) {
            failed = 1;
            break;
        }
        k = key >= last ? gallop(keys, key_count, k, (int64_t)key)
                        : lower_bound(keys, key_count, (int64_t)key);
        last = (int64_t)key;
        if (k == key_count || keys[k] != key) {
            continue;
        }
        int64_t start = starts[k], end = starts[k + 1];
        if (start < 0 || end < start || end > members_count) {
            PyErr_SetString(PyExc_ValueError, "a cell's list lies outside the members");
            failed = 1;
            break;
        }
        failed = add_inside(&in, v[MEMBERS].buf, (Py_ssize_t)start, (Py_ssize_t)end,
                            v[POINTS].buf, rows, box, circle) < 0;
    }
    release_views(v, CELL_SECTIONS);
    Py_DECREF(wanted_keys);
    PyObject *pair = NULL;
    if (!failed) {
        /* y# makes None of a NULL pointer: none found is two empty arrays' bytes. */
        const char *found_rows = in.rows ? (const char *)in.rows : "";
        const char *found_d2 = in.d2 ? (const char *)in.d2 : "";
        pair = Py_BuildValue("(y#y#)", found_rows, in.count * 4, found_d2, in.count * 8);
    }
    PyMem_Free(in.rows);
    PyMem_Free(in.d2);
    return pair;
}

/* For each wanted entry id, its document in the file (str), or None when no row has that
 * id or the row has none: the row found in the pk column (ascending, row_of) and a slice
 * of the blob, decoded as UTF-8. */
static PyObject *
documents(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *pk_obj, *starts_obj, *blob_obj, *wanted;
    if (!PyArg_ParseTuple(args, "OOOO:documents", &pk_obj, &starts_obj, &blob_obj, &wanted)) {
        return NULL;
    }
    PyObject *ids = PySequence_Fast(wanted, "wanted: a sequence of entry ids");
    if (ids == NULL) {
        return NULL;
    }
    static const char formats[] = {'q', 'q', 'B'};
    static const Py_ssize_t sizes[] = {8, 8, 1};
    static const char *const names[] = {"pk", "starts", "blob"};
    PyObject *objs[] = {pk_obj, starts_obj, blob_obj};
    Py_buffer v[3];
    PyObject *found = NULL;
    if (take_views(v, objs, formats, sizes, names, 3) == 3) {
        Py_ssize_t rows = v[0].len / 8;
        if (v[1].len / 8 != rows + 1) {
            PyErr_SetString(PyExc_ValueError, "the sections' lengths do not agree");
        } else {
            found = found_documents(ids, v[0].buf, rows, v[1].buf, v[2].buf, v[2].len);
        }
        release_views(v, 3);
    }
    Py_DECREF(ids);
    return found;
}

/* One located row of a page being chosen: what the order compares. */
typedef struct {
    double d2;
    const unsigned char *name; /* the sort name's UTF-8 bytes in the blob */
    Py_ssize_t name_len;
    int64_t pk;
} Near;

/* (distance, name, entry id), as Python compares the tuples: UTF-8 bytes compared
 * unsigned are in code point order, and a name that is a prefix of another comes first. */
static int
compare_near(const void *a, const void *b)
{
    const Near *x = a, *y = b;
    if (x->d2 != y->d2) {
        return x->d2 < y->d2 ? -1 : 1;
    }
    Py_ssize_t common = x->name_len < y->name_len ? x->name_len : y->name_len;
    int c = memcmp(x->name, y->name, (size_t)common);
    if (c != 0) {
        return c;
    }
    if (x->name_len != y->name_len) {
        return x->name_len < y->name_len ? -1 : 1;
    }
    return (x->pk > y->pk) - (x->pk < y->pk);
}

/* The k-th smallest (0-based) of a[0..n), which it reorders: a quickselect (Hoare's
 * partition around the median of three), linear on average where a sort was n log n. */
static double
kth_smallest(double *a, Py_ssize_t n, Py_ssize_t k)
{
    Py_ssize_t lo = 0, hi = n - 1;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        double x = a[lo], y = a[mid], z = a[hi];
        double pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        Py_ssize_t i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) {
                i++;
            }
            while (a[j] > pivot) {
                j--;
            }
            if (i <= j) {
                double t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (k <= j) {
            hi = j;
        } else if (k >= i) {
            lo = i;
        } else {
            return a[k]; /* between j and i: equal to the pivot */
        }
    }
    return a[k];
}

/* A located row that is not a row number of the file (a changed entry's Row): Python's
 * loop answers. */
#define NOT_ROWS (-2)

/* The located rows as row numbers: from an array's buffer of C ints, else item by item;
 * their number in *count. NULL with an exception, or NULL with *count NOT_ROWS. */
static Py_ssize_t *
read_rows(PyObject *obj, Py_ssize_t *count)
{
    Py_ssize_t *rows = NULL;
    if (PyObject_CheckBuffer(obj)) {
        Py_buffer view;
        if (view_of(obj, &view, 'i', 4, "located") < 0) {
            return NULL;
        }
        *count = view.len / 4;
        rows = PyMem_New(Py_ssize_t, *count + 1);
        for (Py_ssize_t k = 0; rows != NULL && k < *count; k++) {
            rows[k] = ((const int32_t *)view.buf)[k];
        }
        PyBuffer_Release(&view);
        return rows ? rows : (Py_ssize_t *)PyErr_NoMemory();
    }
    PyObject *fast = PySequence_Fast(obj, "located: a sequence of rows");
    if (fast == NULL) {
        return NULL;
    }
    *count = PySequence_Fast_GET_SIZE(fast);
    rows = PyMem_New(Py_ssize_t, *count + 1);
    if (rows == NULL) {
        PyErr_NoMemory();
    }
    for (Py_ssize_t k = 0; rows != NULL && k < *count; k++) {
        PyObject *item = PySequence_Fast_GET_ITEM(fast, k);
        if (!PyLong_CheckExact(item)) {
            *count = NOT_ROWS;
            Py_CLEAR(fast);
            PyMem_Free(rows);
            return NULL;
        }
        rows[k] = PyLong_AsSsize_t(item);
        if (rows[k] == -1 && PyErr_Occurred()) {
            PyMem_Free(rows);
            rows = NULL;
        }
    }
    Py_DECREF(fast);
    return rows;
}

/* The distances as doubles (count of them: from an array's buffer of doubles, else item
 * by item), followed by room for a copy; the n-th smallest (1-based) in *nth when n <
 * count. NULL with an exception. */
static double *
read_distances(PyObject *obj, Py_ssize_t count, Py_ssize_t n, double *nth)
{
    double *d = PyMem_New(double, count * 2 + 1);
    if (d == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    int failed = 0;
    if (PyObject_CheckBuffer(obj)) {
        Py_buffer view;
        failed = view_of(obj, &view, 'd', 8, "distances") < 0;
        if (!failed) {
            if (view.len / 8 == count) {
                memcpy(d, view.buf, (size_t)count * sizeof(double));
            } else {
                PyErr_SetString(PyExc_ValueError, "located and distances differ in length");
                failed = 1;
            }
            PyBuffer_Release(&view);
        }
    } else {
        Py_ssize_t given = PyObject_Length(obj);
        if (given >= 0 && given != count) {
            PyErr_SetString(PyExc_ValueError, "located and distances differ in length");
        }
        failed = given != count || read_doubles(obj, d, count, "distances") < 0;
    }
    for (Py_ssize_t k = 0; !failed && k < count; k++) {
        if (isnan(d[k])) { /* no order holds with it, and the quickselect relies on one */
            PyErr_SetString(PyExc_ValueError, "a distance that is not a number");
            failed = 1;
        }
    }
    if (failed) {
        PyMem_Free(d);
        return NULL;
    }
    if (n < count) {
        memcpy(d + count, d, (size_t)count * sizeof(double));
        *nth = kth_smallest(d + count, count, n - 1);
    }
    return d;
}

/* The located rows that can be on the page (no farther than the page's last, ties
 * included), with their names and ids: their number, or -1 with an exception. */
static Py_ssize_t
near_rows(Near *out, const Py_ssize_t *located, const double *d, Py_ssize_t count, int cut,
          double farthest, const Py_buffer *v)
{
    const int64_t *pk = v[0].buf, *string_starts = v[2].buf;
    const int32_t *sort_name = v[1].buf;
    const unsigned char *blob = v[3].buf;
    Py_ssize_t rows = v[0].len / 8, strings = v[2].len / 8 - 1, kept = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        if (cut && d[k] > farthest) {
            continue;
        }
        Py_ssize_t row = located[k];
        if (row < 0 || row >= rows) {
            PyErr_SetString(PyExc_ValueError, "a row the file does not have");
            return -1;
        }
        int32_t s = sort_name[row];
        if (s < 0 || s >= strings || string_starts[s] < 0 ||
            string_starts[s + 1] < string_starts[s] || string_starts[s + 1] > v[3].len) {
            PyErr_SetString(PyExc_ValueError, "a sort name outside the file's strings");
            return -1;
        }
        out[kept++] = (Near){d[k], blob + string_starts[s], string_starts[s + 1] - string_starts[s],
                             pk[row]};
    }
    return kept;
}

/* [(entry id, name, squared distance)] of out[offset:end], in order. */
static PyObject *
near_list(const Near *out, Py_ssize_t offset, Py_ssize_t end)
{
    PyObject *page = PyList_New(end > offset ? end - offset : 0);
    for (Py_ssize_t k = offset; page != NULL && k < end; k++) {
        PyObject *name = PyUnicode_DecodeUTF8((const char *)out[k].name, out[k].name_len, NULL);
        PyObject *match = name ? Py_BuildValue("(LNd)", (long long)out[k].pk, name, out[k].d2)
                               : NULL;
        if (match == NULL) {
            Py_CLEAR(page);
            break;
        }
        PyList_SET_ITEM(page, k - offset, match);
    }
    return page;
}

/* Rows offset to end of the located rows in (distance, name, id) order, as
 * [(entry id, name, squared distance)]: memory._nearest_in_python is the reference. */
static PyObject *
nearest(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *objs[4], *located_obj, *distances_obj;
    Py_ssize_t offset, end;
    if (!PyArg_ParseTuple(args, "OOOOOOnn:nearest", &objs[0], &objs[1], &objs[2], &objs[3],
                          &located_obj, &distances_obj, &offset, &end)) {
        return NULL;
    }
    static const char formats[] = {'q', 'i', 'q', 'B'};
    static const Py_ssize_t sizes[] = {8, 4, 8, 1};
    static const char *const names[] = {"pk", "sort_name", "string_starts", "blob"};
    Py_ssize_t count = 0;
    Py_ssize_t *rows = read_rows(located_obj, &count);
    if (rows == NULL) {
        return count == NOT_ROWS ? Py_NewRef(Py_None) : NULL;
    }
    Py_ssize_t first = end < count ? end : count;
    double farthest = 0.0;
    double *d = read_distances(distances_obj, count, first, &farthest);
    Py_buffer v[4];
    PyObject *page = NULL;
    if (d != NULL && take_views(v, objs, formats, sizes, names, 4) == 4) {
        Near *out = NULL;
        if (offset < 0) {
            PyErr_SetString(PyExc_ValueError, "offset: below zero");
        } else if (v[1].len / 4 != v[0].len / 8 || v[2].len < 8) {
            PyErr_SetString(PyExc_ValueError, "the sections' lengths do not agree");
        } else if (offset >= first) {
            page = PyList_New(0);
        } else if ((out = PyMem_New(Near, count)) == NULL) {
            PyErr_NoMemory();
        } else {
            Py_ssize_t kept = near_rows(out, rows, d, count, first < count, farthest, v);
            if (kept >= 0) {
                qsort(out, (size_t)kept, sizeof(Near), compare_near);
                page = near_list(out, offset, first < kept ? first : kept);
            }
        }
        PyMem_Free(out);
        release_views(v, 4);
    }
    PyMem_Free(d);
    PyMem_Free(rows);
    return page;
}

static PyMethodDef methods[] = {
    {"located", located, METH_VARARGS,
     "located(keys, starts, members, points, rows, wanted, box, circle)\n"
     "(rows, squared distances) as the bytes of arrays of C ints and doubles: the rows "
     "listed under the wanted cell keys that lie in the circle, in the lists' order, a "
     "row listed twice there twice; points holds each member's (latitude, longitude), "
     "rows is the file's row count; box is (south, north, west, east), circle is "
     "(latitude, longitude, km per degree of latitude, km per degree of longitude, "
     "radius squared)."},
    {"documents", documents, METH_VARARGS,
     "documents(pk, starts, blob, wanted)\n"
     "For each wanted entry id, its document (str) or None: the row with that id in the "
     "ascending pk column, and its slice starts[row]:starts[row + 1] of the blob."},
    {"nearest", nearest, METH_VARARGS,
     "nearest(pk, sort_name, string_starts, blob, located, distances, offset, end)\n"
     "[(entry id, name, squared distance)] of the located rows offset to end, ordered by "
     "(distance, name, id); None if a located row is not a row number."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    .m_base = PyModuleDef_HEAD_INIT,
    .m_name = "_near",
    .m_doc = "A place search's distance loop, its page by distance and an API page's "
             "documents, in C.",
    .m_size = -1,
    .m_methods = methods,
};

PyMODINIT_FUNC
PyInit__near(void)
{
    return PyModule_Create(&module);
}
