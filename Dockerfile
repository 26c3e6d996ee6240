# syntax=docker/dockerfile:1
#
# vetgraph's container image, for those who build with Docker:
#
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) \
#     --build-arg REVISION=$(git rev-parse HEAD) -t vetgraph .
#
# It is not built where vetgraph is developed (that machine has no Docker);
# `make image` builds the same layout there without Docker (tools/image),
# and this file follows it: the static binary, the data files, a CA bundle,
# user 65532, `vetgraph serve` on :8080. Configuration is the environment
# (README, Configuration), e.g. -e NEO4J_URI=neo4j+s://… -e NEO4J_USER=…

# Go as go.mod requires (1.26.8 or later).
ARG GO_VERSION=1.26

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=devel
# CGO_ENABLED=0: a static binary, for an image without libc. web/dist is
# committed and embedded, so no Node.js is needed here.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/vetgraph ./cmd/vetgraph
# The user the image runs as, named as tools/image names it.
RUN printf 'root:x:0:0:root:/root:/sbin/nologin\nvetgraph:x:65532:65532:vetgraph:/nonexistent:/sbin/nologin\n' >/out/passwd && \
    printf 'root:x:0:\nvetgraph:x:65532:\n' >/out/group

FROM scratch
ARG VERSION=devel
ARG REVISION=unknown
LABEL org.opencontainers.image.title="vetgraph" \
      org.opencontainers.image.description="GraphQL API over a Neo4j knowledge graph of VET cooperation" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# Files are root's (COPY's default): the user cannot change them.
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/passwd /etc/passwd
COPY --from=build /out/group /etc/group
COPY --from=build /out/vetgraph /usr/local/bin/vetgraph
COPY data /usr/share/vetgraph/data
# vetgraph's default address, 127.0.0.1, is unreachable from outside a container.
ENV PATH=/usr/local/bin \
    VETGRAPH_ADDR=:8080 \
    VETGRAPH_DATA_DIR=/usr/share/vetgraph/data
USER 65532:65532
EXPOSE 8080
STOPSIGNAL SIGTERM
# Arguments replace serve: `docker run IMAGE load`, `IMAGE keys create …`.
ENTRYPOINT ["/usr/local/bin/vetgraph"]
CMD ["serve"]
