/*
 * api_feeds.c — /api/v1/feeds: the intelligence feeds (administrators
 * add and sync them; everyone authenticated reads them). A sync answers
 * when done, with what changed; a feed that failed says so in its answer
 * and its status, and nothing else changed.
 */
#include "server/api.h"
#include "server/feeds.h"
#include "server/router.h"
#include "store/feed.h"

int xsirt_api_feeds_list(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_list(res, req, xsirt_feed_page);
}

int xsirt_api_feeds_create(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_create(res, req, "/api/v1/feeds/", xsirt_feed_create);
}

int xsirt_api_feeds_get(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_feed_get);
}

int xsirt_api_feeds_sync(xsirt_response *res, xsirt_request *req)
{
    return xsirt_api_call_id(res, req, xsirt_feeds_sync);
}
