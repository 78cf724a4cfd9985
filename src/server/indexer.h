/*
 * indexer.h — the server's thread that enters an upload's components and
 * findings in the indexes it left for later (store/deferred_index.h).
 */
#ifndef XSIRT_INDEXER_H
#define XSIRT_INDEXER_H

typedef struct xsirt_indexer {
    const char *target;      /* the database, as xsirt_db_open takes it */
    volatile int *stop;      /* set: the thread returns within a pause */
} xsirt_indexer;

/* The thread: its own connection, opened again if it is lost. */
void *xsirt_indexer_main(void *indexer);

#endif
