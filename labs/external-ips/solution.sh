# Reference solution: externalIPs.
# host: node02
ip -4 a s eth0
ip addr add 192.168.2.6/21 dev eth0
ip -4 a s eth0
# host: node01
cat services-externalip-demo.yaml
kubectl apply -f services-externalip-demo.yaml
kubectl get svc demoapp-externalip-svc
curl 192.168.2.6
