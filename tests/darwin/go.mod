module headroom/tests/darwin

go 1.26
