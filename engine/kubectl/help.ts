// The text of `kubectl`, `kubectl help` and `kubectl --help`: the commands kubelab simulates.


export const HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/overview/

Basic Commands (Beginner):
  create        Create a resource from a file or from stdin.
  expose        Take a replication controller, service, deployment or pod and expose it as a new Kubernetes Service
  run           Run a particular image on the cluster

Basic Commands (Intermediate):
  get           Display one or many resources
  delete        Delete resources by filenames, stdin, resources and names, or by resources and label selector

Deploy Commands:
  scale         Set a new size for a Deployment, ReplicaSet or Replication Controller

Troubleshooting and Debugging Commands:
  describe      Show details of a specific resource or group of resources
  logs          Print the logs for a container in a pod
  exec          Execute a command in a container

Advanced Commands:
  apply         Apply a configuration to a resource by filename or stdin

Settings Commands:
  label         Update the labels on a resource

Other Commands:
  api-resources Print the supported API resources on the server
  cluster-info  Display cluster info
  version       Print the client and server version information

Usage:
  kubectl [flags] [options]
`;
