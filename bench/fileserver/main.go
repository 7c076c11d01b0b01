// Command fileserver serves a folder with the standard library's file
// server and nothing else: the physical reference for how fast this
// machine can answer an HTTP request of a given size.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8091", "listen address")
	dir := flag.String("dir", ".", "folder to serve")
	flag.Parse()
	log.Fatal(http.ListenAndServe(*addr, http.FileServer(http.Dir(*dir))))
}
