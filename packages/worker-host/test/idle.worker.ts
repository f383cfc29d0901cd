// A worker that never calls serve(): the client must not wait for it forever.
export {}
