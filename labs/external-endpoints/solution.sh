# Reference solution: hand-written Endpoints for an external MySQL.
# host: node01
cat mysql-endpoints-demo.yaml
kubectl apply -f mysql-endpoints-demo.yaml
kubectl get svc/mysql-external
kubectl get ep/mysql-external
mysql -h10.111.180.31 -p123 -e "status"
kubectl apply -f - <<EOF
apiVersion: v1
kind: Endpoints
metadata:
  name: mysql-external
subsets:
- addresses:
  - ip: 192.168.2.8
  notReadyAddresses:
  - ip: 192.168.2.9
  ports:
  - name: mysql
    port: 3306
    protocol: TCP
EOF
kubectl describe ep mysql-external
