// Command control-plane is the test control plane of the API server suite (test/apiserver/run.ts).
//
//	control-plane certs <dir>                 writes ca.crt, apiserver.{crt,key}, admin.{crt,key}, sa.{key,pub}
//	control-plane etcd <data-dir> <client-port> <peer-port>
//	                                          runs an embedded single-member etcd on 127.0.0.1 until SIGTERM/SIGINT
//	control-plane kube-apiserver <flags...>   runs kube-apiserver (k8s.io/kubernetes/cmd/kube-apiserver/app)
//
// Only the control plane runs: no controller manager, no scheduler, no kubelet.
package main

import (
	"fmt"
	"os"

	"k8s.io/component-base/cli"
	_ "k8s.io/component-base/logs/json/register"
	_ "k8s.io/component-base/metrics/prometheus/clientgo"
	_ "k8s.io/component-base/metrics/prometheus/version"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: control-plane certs <dir> | etcd <data-dir> <client-port> <peer-port> | kube-apiserver <flags...>")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "certs":
		if len(os.Args) != 3 {
			usage()
		}
		if err := writeCerts(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "certs:", err)
			os.Exit(1)
		}
	case "etcd":
		if len(os.Args) != 5 {
			usage()
		}
		if err := runEtcd(os.Args[2], os.Args[3], os.Args[4]); err != nil {
			fmt.Fprintln(os.Stderr, "etcd:", err)
			os.Exit(1)
		}
	case "kube-apiserver":
		command := app.NewAPIServerCommand()
		command.SetArgs(os.Args[2:])
		os.Exit(cli.Run(command))
	default:
		usage()
	}
}
