# Reference solution: NodePort Services.
# host: node01
cat services-nodeport-demo.yaml
kubectl apply -f services-nodeport-demo.yaml
kubectl get svc demoapp-nodeport-svc
curl 192.168.2.2:31398
curl 192.168.2.3:31398
curl 10.97.56.1
kubectl expose deployment demoapp --name=demoapp-np2 --type=NodePort --port=80 --target-port=80
kubectl get svc demoapp-np2
