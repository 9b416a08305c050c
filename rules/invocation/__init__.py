"""LL6: invocation - event sources, async invocation, API timeouts, concurrency, recursion.

One module per sub-family: `sqs` (the queue a function reads), `mappings` (event source
mapping parameters), `streams`, `async_` (asynchronous invocation), `api_gateway`,
`recursion` and `concurrency`. What the rules ask about event sources, queues, streams,
buckets and roles is answered by the model (`lambdalint.model.events` and its neighbours).
"""
